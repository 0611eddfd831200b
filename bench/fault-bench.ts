/**
 * The long fault runs of issue 11 (the test suite has a short version of each), printed as tables.
 *
 *   npx tsx bench/fault-bench.ts [--runs 10] [--lock-seconds 12] [--backlog 20000]
 *
 * 1. crash: the bot (test/modes/support/bot-writes.mjs over the built package: run `npm run build` first) writes
 *    with all four services and is SIGKILLed at a random moment; the bot's layer restarts on the same files; the
 *    shadow must hold exactly what the primary holds (every table, row for row) and verify's data checks pass. Repeated
 *    --runs times on the same databases, so that the kills land on every kind of state.
 * 2. catch-up interrupted: a backlog of --backlog writes waits while PostgreSQL is cut off (a TCP proxy); the
 *    applier (a bot process) is then SIGKILLed at a random moment of the catch-up, --runs times, and between kills
 *    PostgreSQL's connections are terminated too; a trigger counts every committed apply of a message, which must be
 *    exactly one per message, with no entry stuck and the databases equal at the end.
 * 3. locked shadow: PostgreSQL primary, SQLite shadow, another connection holding SQLite's write lock for
 *    --lock-seconds; the longest event-loop stall and PostgreSQL's write latency before and during the lock.
 * 4. two processes: --runs paired starts of two bots on the previous version's SQLite file (outbox migration
 *    pending) and a fresh PostgreSQL database: both must start, and the shadow must end equal, hot counter included,
 *    every outbox entry applied exactly once.
 */
import { Migrator, SqlClient } from "@effect/sql"
import Sqlite from "better-sqlite3"
import { Console, Context, Duration, Effect, Layer, Random, Record } from "effect"
import { monitorEventLoopDelay, performance } from "node:perf_hooks"
import { parseArgs } from "node:util"
import Pg from "pg"
import * as Modes from "../src/runtime/config/Mode.js"
import * as SqliteDatabase from "../src/runtime/layers/SqliteDatabase.js"
import { ShadowHealth } from "../src/runtime/modes/ShadowHealth.js"
import { migrationsOf } from "../src/runtime/schema/runSchemaMigrations.js"
import { MessageService } from "../src/runtime/services/MessageService.js"
import { adminUrl, tempPostgresUrl, tempSqlite } from "../test/support/TestDatabases.js"
import { startBot } from "../test/modes/support/BotProcess.js"
import { dumpTables, testShadowOptions } from "../test/modes/support/ModeFixtures.js"
import { bothDatabases, botLayer, dataChecksFailing, restartAndCompare } from "../test/modes/support/Restart.js"
import { tcpProxy } from "../test/modes/support/TcpProxy.js"

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "10" },
    "lock-seconds": { type: "string", default: "12" },
    backlog: { type: "string", default: "20000" }
  }
})
const runs = Number(values.runs)
const lockSeconds = Number(values["lock-seconds"])
const backlogWrites = Number(values.backlog)
const options = { ...testShadowOptions, leaseTtl: Duration.millis(1500), batchSize: 500 }
const server = new URL(adminUrl)
const target = { host: server.hostname, port: Number(server.port || 5432) }

const row = (cells: ReadonlyArray<string | number>, widths: ReadonlyArray<number>) =>
  cells.map((c, i) => String(c).padStart(widths[i] ?? 10)).join("  ")

const onDatabase = (url: string, statements: ReadonlyArray<string>) =>
  Effect.promise(async () => {
    const client = new Pg.Client({ connectionString: url })
    await client.connect()
    try {
      const results = []
      for (const statement of statements) results.push(await client.query(statement))
      return results
    } finally {
      await client.end()
    }
  })

const differingTables = (a: Record<string, ReadonlyArray<unknown>>, b: Record<string, ReadonlyArray<unknown>>) =>
  Object.keys(a).filter((t) => JSON.stringify(a[t]) !== JSON.stringify(b[t]))

// ---- 1. crash -------------------------------------------------------------------------------------------------

const crash = Effect.gen(function* () {
  const sqlite = yield* tempSqlite()
  const pg = yield* tempPostgresUrl
  const files = { sqliteFile: sqlite.filename, pgUrl: pg.url }
  const env = {
    USE_POSTGRES_SHADOW: "true",
    SQLITE_PATH: sqlite.filename,
    POSTGRES_URL: pg.url,
    SHADOW_LEASE_TTL_MS: "1500"
  }
  const widths = [4, 12, 10, 12, 10, 14, 12]
  yield* Console.log("\n1. SIGKILL of the bot at random moments, then a restart (no operator action)")
  yield* Console.log(row(["run", "acked", "killed at", "rows", "pending", "tables unequal", "verify data"], widths))
  let failures = 0
  for (let run = 1; run <= runs; run++) {
    const bot = yield* startBot(env)
    yield* bot.ackedAtLeast(yield* Random.nextIntBetween(25, 400), Duration.seconds(60))
    const delay = yield* Random.nextIntBetween(0, 700)
    yield* Effect.sleep(Duration.millis(delay))
    yield* bot.kill
    const after = yield* restartAndCompare(Modes.sqliteShadowedToPostgres, files, options)
    const unequal = differingTables(after.sqlite, after.postgres)
    const rows = Object.values(after.sqlite).reduce((n, t) => n + t.length, 0)
    const dataFailing = dataChecksFailing(after.verify)
    if (!after.flushed || unequal.length > 0 || dataFailing.length > 0) failures++
    yield* Console.log(
      row(
        [
          run,
          bot.acked(),
          `+${delay} ms`,
          rows,
          after.health.outboxDepth,
          unequal.length === 0 ? "none" : unequal.join(","),
          dataFailing.length === 0 ? "pass" : "FAIL"
        ],
        widths
      )
    )
  }
  yield* Console.log(`crash: ${runs - failures}/${runs} runs converged with every acknowledged write`)
}).pipe(Effect.scoped)

// ---- 2. catch-up interrupted ------------------------------------------------------------------------------------

const catchUp = Effect.gen(function* () {
  const sqlite = yield* tempSqlite()
  const pg = yield* tempPostgresUrl
  const proxy = yield* tcpProxy(target)
  const files = { sqliteFile: sqlite.filename, pgUrl: pg.url }
  const viaProxy = proxy.urlFor(pg.url)
  // Both databases migrated (opening them does it), the apply counter installed, then PostgreSQL cut off while a
  // backlog builds up.
  yield* Effect.scoped(Layer.build(bothDatabases(files)))
  yield* onDatabase(pg.url, [
    "CREATE TABLE omega_test_applies (id TEXT NOT NULL)",
    `CREATE FUNCTION omega_test_count_apply() RETURNS trigger AS $$
      BEGIN INSERT INTO omega_test_applies VALUES (NEW.id); RETURN NEW; END $$ LANGUAGE plpgsql`,
    `CREATE TRIGGER omega_test_count_apply AFTER INSERT OR UPDATE ON messages
      FOR EACH ROW EXECUTE FUNCTION omega_test_count_apply()`
  ])
  yield* proxy.cut
  yield* Effect.scoped(
    Effect.gen(function* () {
      const ctx = yield* Layer.build(
        botLayer(Modes.sqliteShadowedToPostgres, files, { ...options, drainTimeout: Duration.zero }, viaProxy)
      )
      const messages = yield* Effect.provide(MessageService, ctx)
      yield* Effect.forEach(
        Array.from({ length: backlogWrites }, (_, i) => i),
        (i) => messages.saveAIMessage({ content: `backlog ${i}` }),
        { concurrency: 4, discard: true }
      )
    })
  )
  yield* proxy.restore
  const pending = () => {
    const db = new Sqlite(sqlite.filename, { readonly: true })
    try {
      return (db.prepare("SELECT COUNT(*) AS n FROM shadow_outbox").get() as { n: number }).n
    } finally {
      db.close()
    }
  }
  const env = {
    USE_POSTGRES_SHADOW: "true",
    SQLITE_PATH: sqlite.filename,
    POSTGRES_URL: viaProxy,
    SHADOW_LEASE_TTL_MS: "1500",
    SHADOW_BATCH_SIZE: "500",
    BOT_ROUNDS: "-1"
  }
  const widths = [4, 14, 14, 16]
  yield* Console.log(`\n2. catch-up of ${backlogWrites} writes, its applier SIGKILLed at random moments`)
  yield* Console.log(row(["run", "left before", "killed after", "terminated too"], widths))
  for (let run = 1; run <= runs && pending() > 0; run++) {
    const before = pending()
    const bot = yield* startBot(env)
    const after = yield* Random.nextIntBetween(1800, 3500) // the lease of the previous one runs out first
    const terminate = run % 2 === 0
    if (terminate) {
      yield* Effect.sleep(Duration.millis(after / 2))
      yield* onDatabase(adminUrl, [
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${new URL(pg.url).pathname.slice(1)}' AND pid <> pg_backend_pid()`
      ])
      yield* Effect.sleep(Duration.millis(after / 2))
    } else yield* Effect.sleep(Duration.millis(after))
    yield* bot.kill
    yield* Console.log(row([run, before, `${after} ms`, terminate ? "yes" : "no"], widths))
  }
  const final = yield* Effect.scoped(
    Effect.gen(function* () {
      const ctx = yield* Layer.build(botLayer(Modes.sqliteShadowedToPostgres, files, options))
      const health = yield* Effect.provide(ShadowHealth, ctx)
      const flushed = yield* health.flush(Duration.minutes(5))
      return { flushed, snapshot: yield* health.snapshot }
    })
  )
  const [counted] = yield* onDatabase(pg.url, [
    "SELECT COUNT(*)::int AS applies, COUNT(DISTINCT id)::int AS messages FROM omega_test_applies"
  ])
  const c = counted!.rows[0] as { applies: number; messages: number }
  const both = yield* Layer.build(bothDatabases(files))
  const unequal = differingTables(
    yield* Effect.provide(dumpTables("sqlite"), both),
    yield* Effect.provide(dumpTables("postgres"), both)
  )
  yield* Console.log(
    `catch-up: drained ${final.flushed}; ${c.messages} messages applied ${c.applies} times (exactly once: ` +
      `${c.applies === c.messages && c.messages === backlogWrites}); dead letters ${final.snapshot.deadLetters}; ` +
      `tables unequal: ${unequal.length === 0 ? "none" : unequal.join(",")}`
  )
}).pipe(Effect.scoped)

// ---- 3. locked shadow -------------------------------------------------------------------------------------------

const percentile = (values: ReadonlyArray<number>, p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN
}

const lockedShadow = Effect.gen(function* () {
  const sqlite = yield* tempSqlite()
  const pg = yield* tempPostgresUrl
  const files = { sqliteFile: sqlite.filename, pgUrl: pg.url }
  const ctx = yield* Layer.build(
    botLayer(Modes.postgresShadowedToSqlite, files, { ...options, retryMaxDelay: Duration.millis(500) })
  )
  const messages = yield* Effect.provide(MessageService, ctx)
  const health = yield* Effect.provide(ShadowHealth, ctx)
  const timed = (n: number) =>
    Effect.forEach(
      Array.from({ length: n }, (_, i) => i),
      (i) =>
        Effect.gen(function* () {
          const t = performance.now()
          yield* messages.saveHumanMessage({ userId: `u${i % 5}`, username: "u", content: `m${i}` })
          return performance.now() - t
        })
    )
  const stallsBefore = monitorEventLoopDelay({ resolution: 5 })
  stallsBefore.enable()
  const before = yield* timed(1000)
  stallsBefore.disable()
  yield* health.flush(Duration.seconds(30))
  const foreign = new Sqlite(sqlite.filename)
  foreign.exec("BEGIN IMMEDIATE")
  foreign.exec("CREATE TABLE IF NOT EXISTS omega_test_lock (x INTEGER)")
  const stalls = monitorEventLoopDelay({ resolution: 5 })
  stalls.enable()
  const during: Array<number> = []
  const until = performance.now() + lockSeconds * 1000
  while (performance.now() < until) during.push(...(yield* timed(50)))
  stalls.disable()
  const waiting = (yield* health.snapshot).outboxDepth
  foreign.exec("ROLLBACK")
  foreign.close()
  const released = performance.now()
  const flushed = yield* health.flush(Duration.seconds(60))
  const caughtUp = (performance.now() - released) / 1000
  yield* Console.log(`\n3. SQLite shadow write-locked by another connection for ${lockSeconds} s (PostgreSQL primary)`)
  yield* Console.log(row(["", "writes", "p50 ms", "p99 ms", "max stall ms"], [18, 8, 8, 8, 13]))
  yield* Console.log(
    row(
      [
        "before the lock",
        before.length,
        percentile(before, 0.5).toFixed(2),
        percentile(before, 0.99).toFixed(2),
        (stallsBefore.max / 1e6).toFixed(1)
      ],
      [18, 8, 8, 8, 13]
    )
  )
  yield* Console.log(
    row(
      [
        "during the lock",
        during.length,
        percentile(during, 0.5).toFixed(2),
        percentile(during, 0.99).toFixed(2),
        (stalls.max / 1e6).toFixed(1)
      ],
      [18, 8, 8, 8, 13]
    )
  )
  yield* Console.log(
    `waiting for SQLite when the lock was released: ${waiting}; caught up ${flushed} in ${caughtUp.toFixed(2)} s`
  )
}).pipe(Effect.scoped)

// ---- 4. two processes -------------------------------------------------------------------------------------------

const previousVersion = (filename: string) =>
  Effect.scoped(
    Effect.flatMap(Layer.build(SqliteDatabase.layer({ filename, busyTimeoutMs: 5000, migrate: false })), (ctx) =>
      Migrator.make({})({
        loader: Migrator.fromRecord(
          Record.map(
            Record.filter(migrationsOf("sqlite"), (_, id) => parseInt(id, 10) < 5),
            (m) => m.run
          )
        ),
        table: "effect_sql_migrations"
      }).pipe(Effect.provideService(SqlClient.SqlClient, Context.get(ctx, SqliteDatabase.SqliteDatabase).sql))
    )
  ).pipe(Effect.orDie)

const twoProcesses = Effect.gen(function* () {
  const widths = [4, 10, 10, 10, 10, 8, 14]
  yield* Console.log("\n4. two bots started together on one SQLite file (outbox migration pending), fresh PostgreSQL")
  yield* Console.log(row(["run", "exits", "submitted", "applied", "hot", "equal", "verify data"], widths))
  let good = 0
  for (let run = 1; run <= runs; run++) {
    const result = yield* Effect.scoped(
      Effect.gen(function* () {
        const sqlite = yield* tempSqlite()
        yield* previousVersion(sqlite.filename)
        const pg = yield* tempPostgresUrl
        const env = {
          USE_POSTGRES_SHADOW: "true",
          SQLITE_PATH: sqlite.filename,
          POSTGRES_URL: pg.url,
          SHADOW_LEASE_TTL_MS: "1500",
          BOT_ROUNDS: "10",
          BOT_WRITERS: "2",
          BOT_PACE_MS: "5"
        }
        const a = yield* startBot({ ...env, BOT_NAME: "a" })
        const b = yield* startBot({ ...env, BOT_NAME: "b" })
        const [ea, eb] = yield* Effect.all([a.exited, b.exited], { concurrency: 2 })
        const after = yield* restartAndCompare(
          Modes.sqliteShadowedToPostgres,
          { sqliteFile: sqlite.filename, pgUrl: pg.url },
          options
        )
        const submitted = Number(ea.health?.["submitted"] ?? 0) + Number(eb.health?.["submitted"] ?? 0)
        const applied = (ea.appliedAtEnd ?? 0) + (eb.appliedAtEnd ?? 0) + after.health.succeeded
        const hot = after.postgres["user_profiles"]!.find((p) => (p as { user_id: string }).user_id === "hot") as
          { message_count: number } | undefined
        return {
          exits: `${ea.code},${eb.code}`,
          submitted,
          applied,
          hot: hot?.message_count ?? -1,
          equal: differingTables(after.sqlite, after.postgres).length === 0,
          data: dataChecksFailing(after.verify).length === 0
        }
      })
    )
    const ok = result.exits === "0,0" && result.applied === result.submitted && result.hot === 40 && result.equal
    if (ok && result.data) good++
    yield* Console.log(
      row(
        [
          run,
          result.exits,
          result.submitted,
          result.applied,
          result.hot,
          String(result.equal),
          result.data ? "pass" : "FAIL"
        ],
        widths
      )
    )
  }
  yield* Console.log(`two processes: ${good}/${runs} paired starts both started and ended equal (hot counter 40)`)
})

Effect.runPromise(Effect.all([crash, catchUp, lockedShadow, twoProcesses], { discard: true })).catch(
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`)
    process.exit(1)
  }
)
