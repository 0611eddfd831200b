/**
 * Benchmark of the bot's reads (verify's list, src/programs/verify/checks/BotReads.ts) on both backends, through
 * the Store exactly as the services call it (decoding included; the services add only input validation): p50, p95
 * and max over `--runs` runs per read with varied arguments (heavy and light users, busy and quiet channels,
 * common, middling and rare words), the index each backend's plan reads, and the targets (p95 under 5 ms
 * for a timeline, count or look-up, under 20 ms for a search). Beside each, the p95 of the same statements sent
 * alone (the rows as the driver returns them, not decoded): what the database and its indexes cost.
 *
 *   npx tsx bench/read-bench.ts [--sizes 1000000,10000000] [--runs 50] [--cli dist/programs/cli/main.js]
 *
 * Per size, a legacy SQLite database with a real server's skew is generated once (bench/.data/read-bench-<n>.db,
 * `skewed` generator); SQLite is read from a copy upgraded by the bot's own migrations, PostgreSQL from database
 * read_bench_<n> loaded by `omega-db copy` (the compiled CLI: `npm run build` first), which ends with VACUUM
 * (ANALYZE). Both are kept for the next run while their migrations are current. The backends alternate run by
 * run, so that the load of this shared machine falls on both alike.
 */
import { type SqlClient, Statement } from "@effect/sql"
import Database from "better-sqlite3"
import { Effect, Layer, Redacted } from "effect"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { parseArgs } from "node:util"
import Pg from "pg"
import { botReads, type BotRead, type ReadArguments } from "../src/programs/verify/checks/BotReads.js"
import { scansOf } from "../src/programs/verify/checks/QueryPlanCheck.js"
import * as PostgresDatabase from "../src/runtime/layers/PostgresDatabase.js"
import * as SqliteDatabase from "../src/runtime/layers/SqliteDatabase.js"
import { PostgresStoreLive, SqliteStoreLive } from "../src/runtime/layers/StoreLayers.js"
import { migrationsOf } from "../src/runtime/schema/runSchemaMigrations.js"
import { PostgresStore, SqliteStore, type Store } from "../src/runtime/store/Store.js"
import { cachedLegacyDatabase } from "./cached-legacy.js"

const { values: flags } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000000" },
    runs: { type: "string", default: "50" },
    cli: { type: "string" },
    admin: {
      type: "string",
      default: process.env["BENCH_POSTGRES_ADMIN_URL"] ?? "postgres://postgres@127.0.0.1:5432/postgres"
    }
  }
})

const root = path.resolve(import.meta.dirname, "..")
const dataDir = path.join(root, "bench", ".data")
const cli = path.resolve(root, flags.cli ?? path.join("dist", "programs", "cli", "main.js"))
const sizes = flags.sizes.split(",").map(Number)
const runs = Math.max(1, Number(flags.runs))
const log = (line: string) => process.stderr.write(`${line}\n`)

const urlOf = (name: string) => {
  const url = new URL(flags.admin)
  url.pathname = `/${name}`
  return url.toString()
}

const withClient = async <A>(url: string, f: (c: Pg.Client) => Promise<A>) => {
  const client = new Pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await f(client)
  } finally {
    await client.end()
  }
}

const latestMigration = (backend: "sqlite" | "postgres") =>
  Math.max(...Object.keys(migrationsOf(backend)).map((id) => parseInt(id, 10)))

// ---------------------------------------------------------------------------------------------------------------
// Databases
// ---------------------------------------------------------------------------------------------------------------

const legacyPath = async (messages: number) => {
  const file = path.join(dataDir, `read-bench-${messages}.db`)
  return cachedLegacyDatabase(file, { form: "full", messages, seed: 42, skewed: true }, log)
}

const sqliteMigrated = (file: string) => {
  if (!fs.existsSync(file)) return false
  const db = new Database(file, { readonly: true })
  try {
    const row = db.prepare("SELECT max(migration_id) AS id FROM effect_sql_migrations").get() as { id: number }
    return row.id === latestMigration("sqlite")
  } catch {
    return false
  } finally {
    db.close()
  }
}

/** The legacy file upgraded in place by the bot's own migrations, as the bot finds it after a deploy. */
const sqliteTarget = async (legacy: string, messages: number) => {
  const file = path.join(dataDir, `read-bench-${messages}-sqlite.db`)
  if (!sqliteMigrated(file)) {
    log(`upgrading a copy of ${legacy} with the SQLite migrations...`)
    fs.rmSync(file, { force: true })
    fs.copyFileSync(legacy, file)
    const started = performance.now()
    await Effect.runPromise(
      Effect.scoped(Layer.build(SqliteDatabase.layer({ filename: file, busyTimeoutMs: 5000, migrate: true })))
    )
    log(`  migrated in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  }
  return file
}

const postgresCurrent = async (name: string, messages: number) => {
  try {
    return await withClient(urlOf(name), async (c) => {
      const migration = await c.query<{ id: number }>("SELECT max(migration_id) AS id FROM effect_sql_migrations")
      const count = await c.query<{ n: string }>("SELECT count(*) AS n FROM messages")
      return migration.rows[0]?.id === latestMigration("postgres") && Number(count.rows[0]?.n) === messages
    })
  } catch {
    return false
  }
}

/** PostgreSQL loaded from the legacy file by `omega-db copy`, as phase 2 of the migration does. */
const postgresTarget = async (legacy: string, messages: number) => {
  const name = `read_bench_${messages}`
  if (!(await postgresCurrent(name, messages))) {
    log(`loading ${name} with omega-db copy...`)
    await withClient(flags.admin, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.query(`CREATE DATABASE ${name}`)
    })
    const started = performance.now()
    execFileSync(
      process.execPath,
      [cli, "copy", "--sqlite", legacy, "--postgres", urlOf(name), "--rejects", path.join(dataDir, "rejects.jsonl")],
      { stdio: ["ignore", "ignore", "inherit"] }
    )
    log(`  copied in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  }
  return urlOf(name)
}

// ---------------------------------------------------------------------------------------------------------------
// Arguments: heavy and light users, busy and quiet channels, common, middling and rare words
// ---------------------------------------------------------------------------------------------------------------

type WordClass = "common" | "middling" | "rare"

interface Pools {
  readonly users: ReadonlyArray<string>
  readonly channels: ReadonlyArray<string>
  readonly words: Readonly<Record<WordClass, ReadonlyArray<string>>>
  readonly queryUsers: ReadonlyArray<string>
  readonly creators: ReadonlyArray<string>
  readonly messageIds: ReadonlyArray<string>
}

/** From the SQLite copy: the heaviest and some of the lightest of each, and words by their share of messages. */
const poolsOf = (file: string): Pools => {
  const db = new Database(file)
  try {
    const column = (sql: string, ...params: Array<unknown>) =>
      db
        .prepare(sql)
        .pluck()
        .all(...params)
        .map(String)
    // The three heaviest, and three of the lightest with a few rows (a key with one row reads like a look-up).
    const heavyAndLight = (table: string, key: string) => [
      ...column(`SELECT ${key} FROM ${table} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 3`),
      ...column(`SELECT ${key} FROM ${table} GROUP BY 1 HAVING count(*) >= 3 ORDER BY count(*), 1 LIMIT 3`)
    ]
    db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.bench_vocab USING fts5vocab(main, messages_fts, 'row')")
    const total = Number(db.prepare("SELECT count(*) FROM messages").pluck().get())
    const wordsWithShare = (low: number, high: number) =>
      column(
        `SELECT term FROM temp.bench_vocab WHERE doc BETWEEN ? AND ? AND term NOT GLOB '*[^a-z]*'
          ORDER BY doc DESC LIMIT 3`,
        Math.ceil(low * total),
        Math.floor(high * total)
      )
    return {
      users: heavyAndLight("messages", "user_id"),
      channels: heavyAndLight("messages", "channel_id"),
      words: {
        common: wordsWithShare(0.2, 1),
        middling: wordsWithShare(0.01, 0.03),
        // The generator's vocabulary has no word rarer than 0.24%: its two rarest, and two terms of usernames
        // (letters and digits) in 0.01-0.03% of messages.
        rare: [
          ...column(`SELECT term FROM temp.bench_vocab WHERE term NOT GLOB '*[^a-z]*' ORDER BY doc, term LIMIT 2`),
          ...column(
            `SELECT term FROM temp.bench_vocab WHERE doc BETWEEN ? AND ? AND term GLOB '*[a-z]*'
              ORDER BY doc DESC, term LIMIT 2`,
            Math.ceil(0.0001 * total),
            Math.floor(0.0003 * total)
          )
        ]
      },
      queryUsers: heavyAndLight("queries", "user_id"),
      creators: heavyAndLight("documents", "created_by"),
      messageIds: column("SELECT id FROM messages WHERE rowid % 100003 = 1 LIMIT 6")
    }
  } finally {
    db.close()
  }
}

const at = <A>(items: ReadonlyArray<A>, i: number): A => items[i % items.length]!

/** The arguments of run `i`: every pool cycles, so the runs mix heavy and light, busy and quiet. */
const argumentsOf = (pools: Pools, words: ReadonlyArray<string>, i: number): ReadArguments => ({
  userId: at(pools.users, i),
  channelId: at(pools.channels, i + 1),
  word: at(words, i),
  queryUserId: at(pools.queryUsers, i),
  creator: at(pools.creators, i),
  messageId: at(pools.messageIds, i)
})

// ---------------------------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------------------------

interface Case {
  readonly read: BotRead
  readonly label: string
  readonly words: ReadonlyArray<string>
}

interface Figures {
  readonly p50: number
  readonly p95: number
  readonly max: number
  /** p95 of the same statements sent alone, rows as the driver returns them: the database's share. */
  readonly sqlP95: number
  readonly plan: string
}

const percentile = (values: ReadonlyArray<number>, p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!
}

/** The statements a read sends (it runs). */
const sentBy = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const sent: Array<readonly [string, ReadonlyArray<unknown>]> = []
    yield* effect.pipe(
      Statement.withTransformer((statement) =>
        Effect.sync(() => {
          sent.push(statement.compile())
          return statement
        })
      )
    )
    return sent
  })

/** The indexes (or other scans) the plan of the page's statement reads, as EXPLAIN names them. */
const planOf = (
  backend: "sqlite" | "postgres",
  sql: SqlClient.SqlClient,
  store: Store,
  read: BotRead,
  args: ReadArguments
) =>
  Effect.gen(function* () {
    const sent = yield* sentBy(read.run(store, args))
    const [text, params] = sent.at(-1) ?? ["SELECT 1", []]
    if (backend === "postgres") {
      const rows = yield* sql.unsafe<{ "QUERY PLAN": unknown }>(`EXPLAIN (FORMAT JSON) ${text}`, [...params])
      const document = rows[0]?.["QUERY PLAN"]
      const parsed = (typeof document === "string" ? JSON.parse(document) : document) as Array<{ Plan: object }>
      return [...new Set(scansOf(parsed[0]!.Plan).map((s) => s.replace(/^.* on /, "")))].join(" + ")
    }
    const rows = yield* sql.unsafe<{ detail: string }>(`EXPLAIN QUERY PLAN ${text}`, [...params])
    const used = rows.flatMap(({ detail }) => {
      if (/VIRTUAL TABLE/.test(detail)) return ["messages_fts"]
      const index = /USING (?:COVERING )?INDEX (\S+)/.exec(detail)?.[1]
      if (index !== undefined) return [index]
      if (/USING INTEGER PRIMARY KEY/.test(detail)) return ["rowid"]
      // A WITHOUT ROWID table (row_tallies) searched by its key.
      const keyed = /^SEARCH (\w+) USING PRIMARY KEY/.exec(detail)?.[1]
      if (keyed !== undefined) return [`${keyed} primary key`]
      if (/^SCAN \w+$/.test(detail)) return [`${detail.toLowerCase()} (no index)`]
      if (/TEMP B-TREE FOR (RIGHT PART OF |LAST TERM OF )?ORDER BY/.test(detail)) return ["sort"]
      return []
    })
    return [...new Set(used)].join(" + ")
  })

const casesOf = (pools: Pools): ReadonlyArray<Case> =>
  botReads.flatMap((read) => {
    // Reads no caller of the contract makes are measured too, and marked.
    const name = read.calledByBot === false ? `${read.name} (no caller)` : read.name
    return read.kind === "search"
      ? (["common", "middling", "rare"] as const).map((c) => ({
          read,
          label: `${name} [${c}: ${pools.words[c].join(", ")}]`,
          words: pools.words[c]
        }))
      : [{ read, label: name, words: pools.words.middling }]
  })

const target = (read: BotRead) => (read.kind === "search" ? 20 : 5)

const benchSize = (messages: number) =>
  Effect.gen(function* () {
    const legacy = yield* Effect.promise(() => legacyPath(messages))
    const sqliteFile = yield* Effect.promise(() => sqliteTarget(legacy, messages))
    const url = yield* Effect.promise(() => postgresTarget(legacy, messages))
    const pools = poolsOf(sqliteFile)
    log(`pools: ${JSON.stringify(pools)}`)
    const layer = Layer.mergeAll(
      SqliteStoreLive.pipe(
        Layer.provideMerge(SqliteDatabase.layer({ filename: sqliteFile, busyTimeoutMs: 5000, migrate: false }))
      ),
      PostgresStoreLive.pipe(
        Layer.provideMerge(
          PostgresDatabase.layer({ url: Redacted.make(url), poolSize: 2, connectTimeoutMs: 10_000, migrate: false })
        )
      )
    )
    return yield* Effect.gen(function* () {
      const backends = {
        sqlite: { store: yield* SqliteStore, sql: (yield* SqliteDatabase.SqliteDatabase).sql },
        postgres: { store: yield* PostgresStore, sql: (yield* PostgresDatabase.PostgresDatabase).sql }
      }
      const rows: Array<{ case: Case; sqlite: Figures; postgres: Figures }> = []
      for (const c of casesOf(pools)) {
        const times = { sqlite: [] as Array<number>, postgres: [] as Array<number> }
        const sqlTimes = { sqlite: [] as Array<number>, postgres: [] as Array<number> }
        // One unmeasured run each first: the first execution pays for planning and a cold cache.
        for (const backend of ["sqlite", "postgres"] as const) {
          yield* c.read.run(backends[backend].store, argumentsOf(pools, c.words, 0))
        }
        for (let i = 0; i < runs; i++) {
          const order = i % 2 === 0 ? (["sqlite", "postgres"] as const) : (["postgres", "sqlite"] as const)
          for (const backend of order) {
            const args = argumentsOf(pools, c.words, i)
            const started = performance.now()
            yield* c.read.run(backends[backend].store, args)
            times[backend].push(performance.now() - started)
          }
        }
        // The database's share: the statements of each run sent again alone, without the Store's decoding.
        for (let i = 0; i < runs; i++) {
          for (const backend of ["sqlite", "postgres"] as const) {
            const { sql, store } = backends[backend]
            const statements = yield* sentBy(c.read.run(store, argumentsOf(pools, c.words, i)))
            const started = performance.now()
            for (const [text, params] of statements) yield* sql.unsafe(text, [...params])
            sqlTimes[backend].push(performance.now() - started)
          }
        }
        const figures = (backend: "sqlite" | "postgres") =>
          Effect.map(
            planOf(backend, backends[backend].sql, backends[backend].store, c.read, argumentsOf(pools, c.words, 0)),
            (plan): Figures => ({
              p50: percentile(times[backend], 0.5),
              p95: percentile(times[backend], 0.95),
              max: Math.max(...times[backend]),
              sqlP95: percentile(sqlTimes[backend], 0.95),
              plan
            })
          )
        const row = { case: c, sqlite: yield* figures("sqlite"), postgres: yield* figures("postgres") }
        rows.push(row)
        log(`  ${c.label}: sqlite p95 ${row.sqlite.p95.toFixed(2)} ms, postgres p95 ${row.postgres.p95.toFixed(2)} ms`)
      }
      return rows
    }).pipe(Effect.provide(layer))
  })

const ms = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0))

const main = Effect.gen(function* () {
  for (const messages of sizes) {
    const rows = yield* benchSize(messages)
    const lines = [
      "",
      `## ${messages.toLocaleString("en-US")} messages, ${runs} runs per read (p50 / p95 / max, ms)`,
      "",
      "| read | target p95 | SQLite | SQLite SQL alone p95 | SQLite plan | PostgreSQL | PostgreSQL SQL alone p95 | " +
        "PostgreSQL plan | met |",
      "|---|---|---|---|---|---|---|---|---|"
    ]
    let missed = 0
    for (const { case: c, sqlite, postgres } of rows) {
      const limit = target(c.read)
      const met = sqlite.p95 < limit && postgres.p95 < limit
      if (!met) missed++
      const cell = (f: Figures) =>
        `${ms(f.p50)} / ${f.p95 < limit ? "" : "**"}${ms(f.p95)}${f.p95 < limit ? "" : "**"} / ${ms(f.max)}`
      lines.push(
        `| ${c.label} | < ${limit} | ${cell(sqlite)} | ${ms(sqlite.sqlP95)} | ${sqlite.plan} | ${cell(postgres)} | ` +
          `${ms(postgres.sqlP95)} | ${postgres.plan} | ${met ? "yes" : "no"} |`
      )
    }
    lines.push("", `${rows.length - missed} of ${rows.length} reads meet their target on both backends.`)
    process.stdout.write(`${lines.join("\n")}\n`)
  }
})

Effect.runPromise(main).catch((error: unknown) => {
  log(String(error))
  process.exit(1)
})
