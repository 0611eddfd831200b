/**
 * Nothing half-done on bad input, through the CLI as an operator runs it: an unusable output location, a file that
 * is not the bot's database, a load that fails or is stopped, a malformed URL or number. Each ends at once with
 * one line on stderr naming what was wrong, exit 1 (130 when stopped by a signal), and nothing left behind: no
 * tables created in PostgreSQL, no index left dropped, no file touched.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import { join } from "node:path"
import { copyData } from "../../src/programs/data/CopyData.js"
import {
  type CliResult,
  copyLayers,
  countRows,
  deferredIndexRecords,
  dump,
  freshPostgres,
  indexDefinitions,
  legacyDatabase,
  postgresLayer,
  runCli,
  startCli,
  withClient,
  withSqlite
} from "./support/Fixtures.js"

const tablesIn = (url: string) =>
  withClient(url, async (c) =>
    Number(
      (
        await c.query<{ n: string }>(
          `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'`
        )
      ).rows[0]?.n
    )
  )

/** Refused as the README promises: exit 1, one line on stderr saying why, no stack trace. */
const expectRefusal = (result: CliResult, message: RegExp) => {
  expect(result.stderr).toMatch(message)
  expect(result.stderr.trim().split("\n")).toHaveLength(1)
  expect(result.stderr).not.toMatch(/^\s+at /m)
  expect(result.code).toBe(1)
}

/** JSON the CLI printed, in the shape the test reads. */
const parse = <A>(text: string): A => JSON.parse(text) as A

const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex")

/** The files of a folder: a refused command must leave no journal, WAL or probe file beside the one it refused. */
const filesIn = (dir: string) => fs.readdirSync(dir).sort()

/** A child's exit, listened for from the start (it may end before anyone waits for it). */
const exitOf = (child: ReturnType<typeof startCli>) => {
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal }))
  )
  return Effect.promise(() => exited)
}

/** Polls `condition` every 20 ms, failing the test after `seconds`. */
const waitFor = (what: string, condition: Effect.Effect<boolean>, seconds = 30) =>
  Effect.gen(function* () {
    const deadline = Date.now() + seconds * 1000
    while (!(yield* condition)) {
      if (Date.now() > deadline) return yield* Effect.die(new Error(`timed out waiting for ${what}`))
      yield* Effect.sleep("20 millis")
    }
  })

/** Sends `signal` once `started` holds, and returns how the command ended and how long after the signal. */
const stopWhen = (
  args: ReadonlyArray<string>,
  started: Effect.Effect<boolean>,
  signal: NodeJS.Signals,
  options: { readonly cwd?: string } = {}
) =>
  Effect.gen(function* () {
    const child = startCli(args, options)
    const exit = exitOf(child)
    yield* Effect.addFinalizer(() => Effect.sync(() => child.kill("SIGKILL")))
    yield* waitFor(`${args[0]} to start working`, started)
    const sent = Date.now()
    child.kill(signal)
    const ended = yield* exit.pipe(Effect.timeout("20 seconds"), Effect.orDie)
    return { ...ended, seconds: (Date.now() - sent) / 1000 }
  })

/** Whether an omega-db process holds a connection to the database of `url` (a command working on it). */
const connectedTo = (url: string) =>
  withClient(url, async (c) =>
    Number(
      (
        await c.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'omega-db'`
        )
      ).rows[0]?.n
    )
  ).pipe(Effect.map((n) => n > 0))

describe("bad input leaves nothing half-done", () => {
  it.scopedLive(
    "an output location whose folder cannot be made fails at once, naming it, before PostgreSQL is touched",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 200 })
        const pg = yield* freshPostgres
        const db = ["--sqlite", legacy.path, "--postgres", pg.plainUrl]
        // Under /proc a folder cannot be made: Node's recursive mkdir used to spin there forever, deaf to signals.
        const rejects = "/proc/nonexistent/rejects.jsonl"
        const timeoutMs = 20_000
        const started = Date.now()
        expectRefusal(
          yield* runCli(["copy", ...db, "--rejects", rejects], { timeoutMs }),
          /^omega-db: cannot write the rejects file \/proc\/nonexistent\/rejects\.jsonl: cannot create the folder \/proc\/nonexistent \(ENOENT/
        )
        expect(Date.now() - started).toBeLessThan(10_000)
        expectRefusal(
          yield* runCli(["import", "--postgres", pg.plainUrl, "--in", join(legacy.dir, "none"), "--rejects", rejects], {
            timeoutMs
          }),
          /cannot write the rejects file \/proc\/nonexistent\/rejects\.jsonl/
        )
        expectRefusal(
          yield* runCli(["export", "--sqlite", legacy.path, "--out", "/proc/nonexistent/export"], { timeoutMs }),
          /^omega-db: cannot write the export to \/proc\/nonexistent\/export: cannot create the folder/
        )
        expect(yield* tablesIn(pg.plainUrl)).toBe(0)
      }),
    60_000
  )

  it.scopedLive(
    "in a read-only working directory copy, import and export refuse the default outputs before touching a database",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 200 })
        const pg = yield* freshPostgres
        // Root passes every permission check: the commands run as `nobody` then, as an operator without rights would.
        const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}
        fs.chmodSync(legacy.dir, 0o777)
        fs.chmodSync(legacy.path, 0o644)
        const readOnly = join(legacy.dir, "read-only")
        fs.mkdirSync(readOnly, { mode: 0o555 })
        fs.chmodSync(readOnly, 0o555)
        const here = { cwd: readOnly, ...asUser }

        expectRefusal(
          yield* runCli(["copy", "--sqlite", legacy.path, "--postgres", pg.plainUrl], here),
          /^omega-db: cannot write the rejects file .*\/read-only\/migration-rejects\.jsonl: cannot create files in .*\/read-only \(EACCES/
        )
        expectRefusal(
          yield* runCli(["import", "--postgres", pg.plainUrl, "--in", join(legacy.dir, "none")], here),
          /cannot write the rejects file .*\/read-only\/migration-rejects\.jsonl/
        )
        expectRefusal(
          yield* runCli(["export", "--sqlite", legacy.path], here),
          /^omega-db: cannot write the export to .*\/read-only\/migration-data: cannot create files in/
        )
        expect(yield* tablesIn(pg.plainUrl)).toBe(0)
        expect(filesIn(readOnly)).toEqual([])
      }),
    60_000
  )

  it.scopedLive(
    "schema refuses a 0-byte file, a missing path and another application's file, and changes none of them",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 50 })
        const pg = yield* freshPostgres
        const dir = join(legacy.dir, "files")
        fs.mkdirSync(dir)
        const schema = (file: string, ...more: Array<string>) =>
          runCli(["schema", "--sqlite", file, "--postgres", pg.plainUrl, ...more])

        const empty = join(dir, "empty.db")
        fs.writeFileSync(empty, "")
        const missing = join(dir, "new", "omega.db")
        const other = join(dir, "other.db")
        yield* withSqlite(other, (d) => d.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
        const before = sha256(other)
        const notTheBots =
          /other\.db is not the bot's SQLite database: it has none of the bot's tables; omega-db changes only the bot's own file/
        const refusals: ReadonlyArray<readonly [Effect.Effect<CliResult>, RegExp]> = [
          [
            schema(empty),
            /^omega-db: .*empty\.db is empty \(no tables\): pass --create to make it the bot's database$/m
          ],
          // Neither verify nor repair make it one either (opening it read-write alone would write to it).
          [
            runCli(["verify", "--sqlite", empty, "--postgres", pg.plainUrl]),
            /empty\.db is empty \(no tables\), not the bot's database/
          ],
          [
            runCli(["repair", "--sqlite", empty, "--postgres", pg.plainUrl]),
            /empty\.db is empty \(no tables\), not the bot's database/
          ],
          [schema(missing), /no SQLite database at .*new\/omega\.db: pass --create/],
          // Another application's file: refused even with --create.
          [schema(other), notTheBots],
          [schema(other, "--create"), notTheBots],
          [
            runCli(["verify", "--sqlite", other, "--postgres", pg.plainUrl]),
            /other\.db is not the bot's SQLite database/
          ]
        ]
        const results = yield* Effect.all(
          refusals.map(([run]) => run),
          { concurrency: 3 }
        )
        refusals.forEach(([, message], i) => expectRefusal(results[i]!, message))
        // Each file as it was, byte for byte, with no journal or WAL beside it; no folder made; PostgreSQL empty.
        expect(fs.statSync(empty).size).toBe(0)
        expect(sha256(other)).toBe(before)
        expect(filesIn(dir)).toEqual(["empty.db", "other.db"])
        expect(yield* tablesIn(pg.plainUrl)).toBe(0)

        // Asked to create: the 0-byte file and the missing path become the bot's database.
        const created = yield* schema(empty, "--create", "--json")
        expect(created.stderr).toBe("")
        expect(created.code).toBe(0)
        expect(parse<{ sqlite: { formBefore: string } }>(created.stdout).sqlite.formBefore).toBe("empty")
        const fresh = yield* schema(missing, "--create", "--json")
        expect(fresh.code).toBe(0)
        for (const file of [empty, missing]) {
          const tables = yield* withSqlite(file, (d) =>
            d.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'messages'").pluck().get()
          )
          expect(tables).toBe(1)
        }
        // The bot's database itself needs no flag, as before.
        expect((yield* schema(legacy.path)).code).toBe(0)
      }),
    90_000
  )

  it.scopedLive(
    "an import that fails on a corrupt line (metadata matching) restores every index it deferred",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 3000 })
        const out = join(legacy.dir, "export")
        expect((yield* runCli(["export", "--sqlite", legacy.path, "--out", out])).code).toBe(0)
        // A line two thirds in is no JSON, and the metadata says the file is exactly so: the import starts, loads
        // rows, has deferred the messages indexes, and fails on that line.
        const file = join(out, "messages.jsonl")
        const lines = fs.readFileSync(file, "utf8").split("\n")
        lines[2000] = "{ not a row"
        fs.writeFileSync(file, lines.join("\n"))
        const metadataFile = join(out, "_metadata.json")
        const metadata = parse<{ tables: Array<{ name: string; bytes: number; sha256: string }> }>(
          fs.readFileSync(metadataFile, "utf8")
        )
        const entry = metadata.tables.find((t) => t.name === "messages")!
        entry.bytes = fs.statSync(file).size
        entry.sha256 = sha256(file)
        fs.writeFileSync(metadataFile, JSON.stringify(metadata, null, 2))

        const pg = yield* freshPostgres
        yield* Layer.build(postgresLayer(pg))
        const expectedIndexes = yield* indexDefinitions(pg.plainUrl)
        const failed = yield* runCli([
          "import",
          "--postgres",
          pg.plainUrl,
          "--in",
          out,
          "--batch-size",
          "100",
          "--rejects",
          join(legacy.dir, "rejects.jsonl")
        ])
        expectRefusal(failed, /^omega-db: .*messages\.jsonl: line 2001 is not JSON$/m)
        expect(yield* countRows(pg.plainUrl, "messages")).toBeGreaterThan(0)
        expect(yield* indexDefinitions(pg.plainUrl)).toEqual(expectedIndexes)
        expect(yield* deferredIndexRecords(pg.plainUrl)).toBeUndefined()
      }),
    90_000
  )

  it.scopedLive(
    "a copy stopped by SIGTERM or SIGINT mid-load exits 130 at once, its indexes intact, and a rerun completes it",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 6000 })
        const reference = yield* freshPostgres
        yield* copyData({ rejectsPath: join(legacy.dir, "reference.jsonl") }).pipe(
          Effect.provide(copyLayers(legacy.path, reference))
        )
        const expectedRows = yield* dump(reference.plainUrl)
        const expectedIndexes = yield* indexDefinitions(reference.plainUrl)
        for (const signal of ["SIGTERM", "SIGINT"] as const) {
          const target = yield* freshPostgres
          // The schema first, so the rows can be counted while the copy runs.
          yield* Layer.build(postgresLayer(target))
          const args = ["copy", "--sqlite", legacy.path, "--postgres", target.plainUrl, "--batch-size", "25"]
          const rejects = ["--rejects", join(legacy.dir, `${signal}.jsonl`)]
          const stopped = yield* stopWhen(
            [...args, ...rejects],
            Effect.map(countRows(target.plainUrl, "messages"), (n) => n >= 500),
            signal
          )
          expect(stopped).toMatchObject({ code: 130, signal: null })
          expect(stopped.seconds).toBeLessThan(5)
          expect(yield* countRows(target.plainUrl, "messages")).toBeLessThan(6000)
          // The indexes it had deferred are built over the rows it loaded; no bookkeeping is left.
          expect(yield* indexDefinitions(target.plainUrl)).toEqual(expectedIndexes)
          expect(yield* deferredIndexRecords(target.plainUrl)).toBeUndefined()

          const rerun = yield* runCli([...args, ...rejects, "--json"])
          expect(rerun.code).toBe(0)
          expect(parse<{ totals: { skipped: number } }>(rerun.stdout).totals.skipped).toBeGreaterThanOrEqual(500)
          expect(yield* dump(target.plainUrl)).toEqual(expectedRows)
        }
      }),
    120_000
  )

  it.scopedLive(
    "export, import, verify and repair stop on SIGTERM or SIGINT with exit 130, leaving nothing half-written",
    () =>
      Effect.gen(function* () {
        // Large enough for the export to be caught at work (it writes some 100,000 rows a second).
        const legacy = yield* legacyDatabase({ messages: 20_000 })
        const out = join(legacy.dir, "export")
        const exported = yield* stopWhen(
          ["export", "--sqlite", legacy.path, "--out", out],
          Effect.sync(() => fs.existsSync(`${out}.partial`)),
          "SIGINT"
        )
        expect(exported).toMatchObject({ code: 130, signal: null })
        expect(fs.existsSync(out) || fs.existsSync(`${out}.partial`)).toBe(false)
        expect((yield* runCli(["export", "--sqlite", legacy.path, "--out", out])).code).toBe(0)

        const pg = yield* freshPostgres
        yield* Layer.build(postgresLayer(pg))
        const expectedIndexes = yield* indexDefinitions(pg.plainUrl)
        const rejects = ["--rejects", join(legacy.dir, "rejects.jsonl")]
        const imported = yield* stopWhen(
          ["import", "--postgres", pg.plainUrl, "--in", out, "--batch-size", "25", ...rejects],
          Effect.map(countRows(pg.plainUrl, "messages"), (n) => n > 0),
          "SIGTERM"
        )
        expect(imported).toMatchObject({ code: 130, signal: null })
        expect(yield* indexDefinitions(pg.plainUrl)).toEqual(expectedIndexes)
        expect((yield* runCli(["import", "--postgres", pg.plainUrl, "--in", out, ...rejects])).code).toBe(0)

        const db = ["--sqlite", legacy.path, "--postgres", pg.plainUrl]
        for (const [command, signal] of [
          ["verify", "SIGTERM"],
          ["repair", "SIGINT"]
        ] as const) {
          // The previous command's connections gone first, so the signal finds this one at work.
          yield* waitFor(
            "the previous connections to close",
            Effect.map(connectedTo(pg.plainUrl), (c) => !c)
          )
          const stopped = yield* stopWhen([command, ...db], connectedTo(pg.plainUrl), signal)
          expect(stopped, command).toMatchObject({ code: 130, signal: null })
          expect(stopped.seconds, command).toBeLessThan(5)
        }
      }),
    120_000
  )

  it.scopedLive(
    "a malformed URL or number names its flag (or variable) and what it accepts, before anything connects",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 50 })
        const pg = yield* freshPostgres
        const copy = ["copy", "--sqlite", legacy.path, "--postgres", pg.plainUrl]
        const verify = ["verify", "--sqlite", legacy.path, "--postgres", pg.plainUrl]
        const cases: ReadonlyArray<readonly [ReadonlyArray<string>, Record<string, string>, RegExp]> = [
          [
            ["copy", "--sqlite", legacy.path, "--postgres", "not a url"],
            {},
            /^omega-db: --postgres is not a PostgreSQL URL \(it is not a URL\): expected postgres:\/\/user:password@host:port\/database/
          ],
          [
            ["schema", "--sqlite", legacy.path, "--postgres", "mysql://u@db.example/omega"],
            {},
            /--postgres is not a PostgreSQL URL \(it starts with mysql:\/\/ rather than postgres:\/\/ or postgresql:\/\/\)/
          ],
          [
            ["copy", "--sqlite", legacy.path],
            { POSTGRES_URL: "not a url" },
            /^omega-db: POSTGRES_URL is not a PostgreSQL URL/
          ],
          [
            ["import"],
            { DATABASE_URL: "postgres:///omega" },
            /^omega-db: DATABASE_URL is not a PostgreSQL URL \(it names no host\)/
          ],
          [[...copy, "--batch-size", "0"], {}, /^omega-db: --batch-size must be a whole number of at least 1, got 0$/m],
          [[...copy, "--jobs", "-1"], {}, /^omega-db: --jobs must be a whole number from 1 to 6, got -1$/m],
          [[...copy, "--streams", "0"], {}, /^omega-db: --streams must be a whole number from 1 to 16, got 0$/m],
          [[...copy, "--batch-size", "many"], {}, /--batch-size must be a whole number of at least 1, got many/],
          [
            [...verify, "--sample-keys", "-1"],
            {},
            /^omega-db: --sample-keys must be a whole number of at least 0, got -1$/m
          ],
          [[...verify, "--page-size", "0"], {}, /^omega-db: --page-size must be a whole number of at least 1, got 0$/m],
          [["demo", "--messages", "10"], {}, /^omega-db: --messages must be a whole number of at least 50, got 10$/m]
        ]
        const results = yield* Effect.forEach(cases, ([args, env]) => runCli(args, { env }), { concurrency: 3 })
        cases.forEach(([args, , message], i) => {
          const result = results[i]!
          expectRefusal(result, message)
          expect(result.stderr, args.join(" ")).not.toMatch(/ENOTFOUND|getaddrinfo|Int & positive|is not a integer/)
        })
        expect(yield* tablesIn(pg.plainUrl)).toBe(0)
      }),
    90_000
  )
})
