/**
 * Benchmark of moving a legacy SQLite database into PostgreSQL: `omega-db copy`, `omega-db export` + `import`,
 * pgloader, and the floor (`sqlite3 -csv | psql \copy`, per table in foreign-key order), on the same data and
 * the same target schema (this project's migrations), in the same run. Prints wall time, rows/s, peak RSS and
 * CPU time (of the whole process group) for each, with the CPU time the PostgreSQL server spent on it (when it runs
 * on this machine), checks every contender loaded every row, and checks the targets. From the CPU times it also
 * prints the least time any load of the data could take on this machine's cores, against pgloader's.
 *
 *   npx tsx bench/copy-bench.ts [--sizes 200000,2000000] [--runs 2] [--indexes deferred|kept|both]
 *                               [--only copy,export+import,pgloader,floor] [--cli path/to/main.js]
 *
 * omega-db runs as `node dist/programs/cli/main.js`, the compiled CLI that `bin/omega-db.js` imports, built once
 * (`npm run build`) before timing; or, with `--cli`, as a CLI compiled elsewhere, left as it is (several people
 * share this working tree and its dist/).
 *
 * Databases are generated once (legacy schema, full form, no quirks: every contender must load every row) and
 * cached in bench/.data/. Each run of each contender gets a fresh PostgreSQL database; runs are interleaved and
 * the best wall time of the runs is reported (the machine is shared), with the highest peak RSS.
 *
 * Indexes: "deferred" lets every contender build the secondary indexes after loading (omega-db's default;
 * pgloader's `drop indexes`; the floor drops them first and creates them in parallel after); "kept" makes every
 * contender maintain them during the load (omega-db --keep-indexes).
 */
import Database from "better-sqlite3"
import { Effect, Layer, Redacted } from "effect"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { parseArgs } from "node:util"
import Pg from "pg"
import { tables } from "../src/runtime/domain/Tables.js"
import * as PostgresDatabase from "../src/runtime/layers/PostgresDatabase.js"
import { recountTallies, talliedTables } from "../src/runtime/schema/CurrentSchema.js"
import { cachedLegacyDatabase } from "./cached-legacy.js"
import { type Measured, measure } from "./copy-measure.js"

const { values: flags } = parseArgs({
  options: {
    sizes: { type: "string", default: "200000,2000000" },
    runs: { type: "string", default: "2" },
    indexes: { type: "string", default: "deferred" },
    only: { type: "string" },
    cli: { type: "string" },
    admin: {
      type: "string",
      default: process.env["BENCH_POSTGRES_ADMIN_URL"] ?? "postgres://postgres@127.0.0.1:5432/postgres"
    }
  }
})

const root = path.resolve(import.meta.dirname, "..")
const dataDir = path.join(root, "bench", ".data")
const sizes = flags.sizes.split(",").map(Number)
const runs = Math.max(1, Number(flags.runs))
const indexModes: ReadonlyArray<"deferred" | "kept"> =
  flags.indexes === "both" ? ["deferred", "kept"] : [flags.indexes === "kept" ? "kept" : "deferred"]
const work = fs.mkdtempSync(path.join(os.tmpdir(), "omega-copy-bench-"))

const log = (line: string) => process.stderr.write(`${line}\n`)

// ---------------------------------------------------------------------------------------------------------------
// Databases
// ---------------------------------------------------------------------------------------------------------------

const legacyPath = async (messages: number) => {
  const file = path.join(dataDir, `copy-bench-${messages}.db`)
  return cachedLegacyDatabase(file, { form: "full", messages, seed: 42 }, log)
}

const sourceCounts = (file: string) => {
  const db = new Database(file, { readonly: true })
  try {
    return Object.fromEntries(
      tables.map((t) => [t.name, Number(db.prepare(`SELECT count(*) FROM ${t.name}`).pluck().get())])
    ) as Record<string, number>
  } finally {
    db.close()
  }
}

const adminQuery = async (sql: string) => {
  const client = new Pg.Client({ connectionString: flags.admin })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

/** The local server's postmaster, to count its CPU time; undefined when PostgreSQL runs elsewhere. */
const findPostmaster = async (): Promise<number | undefined> => {
  const client = new Pg.Client({ connectionString: flags.admin })
  await client.connect()
  try {
    const dir = (await client.query<{ data_directory: string }>("SHOW data_directory")).rows[0]!.data_directory
    return Number(fs.readFileSync(path.join(dir, "postmaster.pid"), "utf8").split("\n")[0])
  } catch {
    return undefined
  } finally {
    await client.end()
  }
}
let postmasterPid: number | undefined

const urlOf = (name: string) => {
  const url = new URL(flags.admin)
  url.pathname = `/${name}`
  return url.toString()
}

/** A fresh database with the target schema (this project's PostgreSQL migrations), the same for every contender. */
const freshDatabase = async (name: string) => {
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await adminQuery(`CREATE DATABASE ${name}`)
  const options = { url: Redacted.make(urlOf(name)), poolSize: 2, connectTimeoutMs: 10_000, migrate: true }
  await Effect.runPromise(Effect.scoped(Layer.build(PostgresDatabase.layer(options))))
  return urlOf(name)
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

/** The secondary indexes a deferred load may drop: not unique, not backing a constraint (as DeferredIndexes.ts). */
const secondaryIndexes = (url: string) =>
  withClient(
    url,
    async (c) =>
      (
        await c.query<{ name: string; definition: string }>(
          `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace
          WHERE n.nspname = 'public' AND NOT i.indisunique AND NOT i.indisprimary
            AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
            AND t.relname <> 'shadow_journal'`
        )
      ).rows
  )

/** Row counts, index count and constraint validity after a load: a contender only counts if it loaded it all. */
const checkLoaded = (url: string, expected: Record<string, number>, indexes: number) =>
  withClient(url, async (c) => {
    const problems: Array<string> = []
    for (const table of tables) {
      const n = Number((await c.query(`SELECT count(*) AS n FROM ${table.name}`)).rows[0].n)
      if (n !== expected[table.name]) problems.push(`${table.name}: ${n} rows, expected ${expected[table.name]}`)
    }
    const present = Number(
      (await c.query(`SELECT count(*) AS n FROM pg_indexes WHERE schemaname = 'public'`)).rows[0].n
    )
    if (present !== indexes) problems.push(`${present} indexes, expected ${indexes}`)
    const booleans = Number((await c.query(`SELECT count(*) AS n FROM documents WHERE is_public`)).rows[0].n)
    if (booleans === 0) problems.push("documents.is_public is never true")
    const json = await c.query(`SELECT jsonb_typeof(metadata) AS t FROM messages WHERE metadata IS NOT NULL LIMIT 1`)
    if (json.rows[0]?.t !== "object") problems.push("messages.metadata is not JSONB objects")
    return problems
  })

// ---------------------------------------------------------------------------------------------------------------
// Contenders
// ---------------------------------------------------------------------------------------------------------------

interface Contender {
  readonly name: string
  readonly available: () => string | undefined
  readonly run: (db: string, url: string, mode: "deferred" | "kept") => Promise<Measured>
}

/** The compiled CLI, run directly (the bin only adds a check that dist/ exists). */
const omega = flags.cli === undefined ? path.join(root, "dist", "programs", "cli", "main.js") : path.resolve(flags.cli)
const has = (tool: string) => {
  try {
    execFileSync("which", [tool], { stdio: "ignore" })
    return undefined
  } catch {
    return `${tool} is not installed`
  }
}

const omegaCopy: Contender = {
  name: "omega-db copy",
  available: () => undefined,
  run: (db, url, mode) =>
    measure(
      process.execPath,
      [
        omega,
        "copy",
        "--sqlite",
        db,
        "--postgres",
        url,
        "--json",
        "--rejects",
        path.join(work, "rejects.jsonl"),
        ...(mode === "kept" ? ["--keep-indexes"] : [])
      ],
      { postmasterPid }
    )
}

const omegaExportImport: Contender = {
  name: "omega-db export+import",
  available: () => undefined,
  run: async (db, url, mode) => {
    const out = path.join(work, "export")
    fs.rmSync(out, { recursive: true, force: true })
    const exported = await measure(process.execPath, [omega, "export", "--sqlite", db, "--out", out, "--json"], {
      postmasterPid
    })
    if (exported.code !== 0) return exported
    const imported = await measure(
      process.execPath,
      [
        omega,
        "import",
        "--postgres",
        url,
        "--in",
        out,
        "--json",
        "--rejects",
        path.join(work, "rejects.jsonl"),
        ...(mode === "kept" ? ["--keep-indexes"] : [])
      ],
      { postmasterPid }
    )
    fs.rmSync(out, { recursive: true, force: true })
    return {
      code: imported.code,
      wallSeconds: exported.wallSeconds + imported.wallSeconds,
      peakRssMb: Math.max(exported.peakRssMb, imported.peakRssMb),
      clientCpuSeconds: exported.clientCpuSeconds + imported.clientCpuSeconds,
      serverCpuSeconds: exported.serverCpuSeconds + imported.serverCpuSeconds,
      stdout: imported.stdout,
      stderr: exported.stderr + imported.stderr
    }
  }
}

const sq = (s: string) => `'${s.replaceAll("'", "'\\''")}'`

/**
 * What a load that bypasses the tally triggers (PostgreSQL migration 10) must run after it for the bot's counts to
 * be right, as omega-db does: each tallied table's tallies counted from its rows (one psql, one transaction each).
 */
const recountCommands = (url: string) =>
  talliedTables.map((table) => `psql -X -q ${sq(url)} -c ${sq(recountTallies("postgres", table).join("; "))}`)

const pgloader: Contender = {
  name: "pgloader",
  available: () => has("pgloader"),
  run: (db, url, mode) => {
    const file = path.join(work, "load.pgl")
    // Data only into the existing schema. pgloader loads tables in parallel regardless of foreign keys, so it
    // disables triggers (the FK checks) while loading; with "deferred" it drops and rebuilds the indexes itself.
    // Its default of 100,000 prefetched rows exhausted SBCL's heap on 2M messages in half the runs.
    fs.writeFileSync(
      file,
      `LOAD DATABASE
     FROM sqlite://${db}
     INTO ${url}
 WITH data only, create no tables, create no indexes, reset no sequences, no truncate, disable triggers${mode === "deferred" ? ", drop indexes" : ""}, prefetch rows = 25000
  SET PostgreSQL PARAMETERS maintenance_work_mem to '256MB'
 INCLUDING ONLY TABLE NAMES LIKE ${tables.map((t) => `'${t.name}'`).join(", ")}
;
`
    )
    // "disable triggers" turns the tally triggers off too: the tallies are recounted after, as part of the load.
    return measure("bash", ["-c", [`pgloader --on-error-stop ${sq(file)}`, ...recountCommands(url)].join(" && ")], {
      postmasterPid
    })
  }
}

const floor: Contender = {
  name: "floor (sqlite3 → psql)",
  available: () => has("sqlite3") ?? has("psql"),
  run: async (db, url, mode) => {
    const lines = ["set -e -o pipefail"]
    const indexes = mode === "deferred" ? await secondaryIndexes(url) : []
    if (indexes.length > 0)
      lines.push(`psql -X -q ${sq(url)} -c ${sq(indexes.map((i) => `DROP INDEX "${i.name}";`).join(" "))}`)
    for (const table of tables) {
      const names = Object.keys(table.columns)
      // Booleans as t/f; every other value as SQLite prints it (JSON text goes into JSONB as is).
      const select = names.map((n) =>
        table.columns[n]!.kind === "boolean" ? `CASE ${n} WHEN 1 THEN 't' WHEN 0 THEN 'f' END` : `"${n}"`
      )
      lines.push(
        // Without the tally triggers, which would count the whole table at the end of its one COPY statement:
        // recounted after the load, in parallel with the index builds, as omega-db does.
        `sqlite3 -csv ${sq(db)} ${sq(`SELECT ${select.join(", ")} FROM ${table.name}`)} | PGOPTIONS='-c omega.skip_tallies=on' psql -X -q ${sq(url)} -c ${sq(`\\copy ${table.name} (${names.map((n) => `"${n}"`).join(", ")}) FROM STDIN WITH (FORMAT csv)`)}`
      )
    }
    for (const command of recountCommands(url)) lines.push(`${command} &`)
    if (indexes.length > 0) {
      // Built in parallel, as omega-db and pgloader do.
      for (const index of indexes) {
        lines.push(`PGOPTIONS='-c maintenance_work_mem=256MB' psql -X -q ${sq(url)} -c ${sq(index.definition)} &`)
      }
    }
    lines.push("wait")
    const script = path.join(work, "floor.sh")
    fs.writeFileSync(script, lines.join("\n") + "\n")
    return measure("bash", [script], { postmasterPid })
  }
}

const contenders = [omegaCopy, omegaExportImport, pgloader, floor].filter(
  (c) => flags.only === undefined || flags.only.split(",").some((o) => c.name.includes(o.trim()))
)

// ---------------------------------------------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------------------------------------------

interface Result {
  readonly size: number
  readonly mode: "deferred" | "kept"
  readonly contender: string
  readonly rows: number
  wall: number
  rss: number
  /** CPU seconds of the contender and of the server, in its fastest run. */
  clientCpu: number
  serverCpu: number
  runs: number
  failed: number
  problems: Array<string>
}

const results: Array<Result> = []

const main = async () => {
  // Compile the CLI once, before timing anything.
  if (flags.cli === undefined) execFileSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: "inherit" })
  postmasterPid = await findPostmaster()
  for (const size of sizes) {
    const db = await legacyPath(size)
    const expected = sourceCounts(db)
    const rows = Object.values(expected).reduce((a, b) => a + b, 0)
    const probe = await freshDatabase(`omega_bench_probe`)
    const indexCount = Number(
      await withClient(
        probe,
        async (c) => (await c.query(`SELECT count(*) AS n FROM pg_indexes WHERE schemaname = 'public'`)).rows[0].n
      )
    )
    await adminQuery(`DROP DATABASE IF EXISTS omega_bench_probe WITH (FORCE)`)
    for (const mode of indexModes) {
      for (let run = 1; run <= runs; run++) {
        for (const contender of contenders) {
          const missing = contender.available()
          let result = results.find((r) => r.size === size && r.mode === mode && r.contender === contender.name)
          if (result === undefined) {
            result = {
              size,
              mode,
              contender: contender.name,
              rows,
              wall: Infinity,
              clientCpu: NaN,
              serverCpu: NaN,
              rss: 0,
              runs: 0,
              failed: 0,
              problems: []
            }
            results.push(result)
          }
          if (missing !== undefined) {
            result.problems = [missing]
            continue
          }
          const name = `omega_bench_${process.pid}`
          const url = await freshDatabase(name)
          log(`[${size} ${mode} run ${run}] ${contender.name}...`)
          const measured = await contender.run(db, url, mode)
          const problems =
            measured.code === 0
              ? await checkLoaded(url, expected, indexCount)
              : [
                  `exit ${measured.code}: ${(measured.stderr || measured.stdout).trim().split("\n").slice(-3).join(" / ")}`
                ]
          await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
          log(
            `  ${measured.wallSeconds.toFixed(2)} s, ${measured.peakRssMb.toFixed(0)} MB${problems.length ? `, ${problems.join("; ")}` : ""}`
          )
          result.runs++
          result.rss = Math.max(result.rss, measured.peakRssMb)
          if (problems.length === 0) {
            if (measured.wallSeconds < result.wall) {
              result.wall = measured.wallSeconds
              result.clientCpu = measured.clientCpuSeconds
              result.serverCpu = measured.serverCpuSeconds
            }
          } else {
            result.failed++
            result.problems.push(...problems)
          }
        }
      }
    }
  }
  report()
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })

const report = () => {
  const header = [
    "messages",
    "indexes",
    "contender",
    "wall s",
    "rows/s",
    "peak RSS MB",
    "client CPU s",
    "server CPU s",
    "vs floor",
    "loaded"
  ]
  const cpu = (seconds: number) => (Number.isFinite(seconds) ? fmt(seconds, 1) : "-")
  const rows = results.map((r) => {
    const floorResult = results.find((f) => f.size === r.size && f.mode === r.mode && f.contender.startsWith("floor"))
    return [
      fmt(r.size),
      r.mode,
      r.contender,
      Number.isFinite(r.wall) ? fmt(r.wall, 2) : "-",
      Number.isFinite(r.wall) ? fmt(r.rows / r.wall) : "-",
      fmt(r.rss),
      cpu(r.clientCpu),
      cpu(r.serverCpu),
      floorResult && Number.isFinite(floorResult.wall) && Number.isFinite(r.wall)
        ? `${fmt(r.wall / floorResult.wall, 2)}x`
        : "-",
      r.failed === 0
        ? `all rows, ${r.runs} of ${r.runs} runs`
        : `${r.runs - r.failed} of ${r.runs} runs; failed: ${r.problems[0]!.slice(0, 60)}`
    ]
  })
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  const line = (cells: ReadonlyArray<string>) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`
  console.log(line(header))
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`)
  for (const row of rows) console.log(line(row))

  console.log("\nTargets:")
  // NaN, "not measured", when every run of the contender failed (pgloader running out of heap at 10M, for one).
  const wallOf = (size: number, mode: string, prefix: string) => {
    const r = results.find((r) => r.size === size && r.mode === mode && r.contender.startsWith(prefix))
    return r === undefined || r.failed >= r.runs ? NaN : r.wall
  }
  const rssOf = (size: number, mode: string) =>
    results.find((r) => r.size === size && r.mode === mode && r.contender === "omega-db copy")?.rss ?? NaN
  const verdict = (ratio: number, ok: (r: number) => boolean) =>
    Number.isFinite(ratio) ? (ok(ratio) ? "met" : "MISSED") : "not measured"
  for (const mode of indexModes) {
    for (const size of sizes) {
      const copy = wallOf(size, mode, "omega-db copy")
      const floorWall = wallOf(size, mode, "floor")
      const pgl = wallOf(size, mode, "pgloader")
      // Issue 12: at or under the floor's time, under 0.75x pgloader's, peak RSS under 200 MB.
      console.log(
        `  ${fmt(size)} messages, indexes ${mode}: copy/floor ${fmt(copy / floorWall, 2)}x (≤ 1.00x: ${verdict(copy / floorWall, (r) => r <= 1)}); ` +
          `copy/pgloader ${fmt(copy / pgl, 2)}x (< 0.75x: ${verdict(copy / pgl, (r) => r < 0.75)}); ` +
          `copy peak RSS ${fmt(rssOf(size, mode))} MB (< 200 MB: ${verdict(rssOf(size, mode), (r) => r < 200)})`
      )
    }
    for (const size of sizes) {
      // Whoever sends the rows, PostgreSQL does the same work, and reading SQLite costs the reader at least what
      // the sqlite3 shell spends. The cheapest contender's total CPU, spread perfectly over every core, is a time no
      // load of this data can beat on this machine; pgloader's time over it bounds the speed-up any loader can show.
      const measured = results.filter((r) => r.size === size && r.mode === mode && r.serverCpu > 0)
      if (measured.length === 0) continue
      const cheapest = measured.reduce((a, b) => (a.clientCpu + a.serverCpu <= b.clientCpu + b.serverCpu ? a : b))
      const cores = os.availableParallelism()
      const bound = (cheapest.clientCpu + cheapest.serverCpu) / cores
      const pgl = wallOf(size, mode, "pgloader")
      console.log(
        `  ${fmt(size)} messages, indexes ${mode}: least CPU of any contender ${fmt(cheapest.serverCpu, 1)} s server + ` +
          `${fmt(cheapest.clientCpu, 1)} s client (${cheapest.contender}) over ${cores} cores = no load under ${fmt(bound, 2)} s; ` +
          `2.5x faster than pgloader needs ${fmt(pgl / 2.5, 2)} s (pgloader/bound ${fmt(pgl / bound, 2)}x)`
      )
    }
    if (sizes.length > 1) {
      const small = rssOf(Math.min(...sizes), mode)
      const large = rssOf(Math.max(...sizes), mode)
      console.log(
        `  peak RSS from ${fmt(Math.min(...sizes))} to ${fmt(Math.max(...sizes))} messages (indexes ${mode}): ` +
          `${fmt(small)} → ${fmt(large)} MB (${fmt(large / small, 2)}x; flat: ${verdict(large / small, (r) => r <= 1.25)})`
      )
    }
  }
}

main()
  .catch((error) => {
    console.error(error)
    process.exitCode = 1
  })
  .finally(() => {
    // Only the bench's own files: the CLI is the package's build (dist/), which the bot, the tests and the other
    // benches use too.
    fs.rmSync(work, { recursive: true, force: true })
  })
