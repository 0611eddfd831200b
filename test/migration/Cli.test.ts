/**
 * The omega-db CLI as an operator sees it: the phases as commands, summaries and exit codes, and bad input
 * (wrong path, missing or corrupt export file, unknown table, unreachable database) ending with one clear message
 * on stderr, a non-zero exit and nothing half-written.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import { freshPostgres, legacyDatabase, runCli, withClient, withSqlite } from "./support/Fixtures.js"

const tablesIn = (url: string) =>
  withClient(url, async (c) =>
    Number(
      (await c.query(`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'`)).rows[0].n
    )
  )

const rowsIn = (url: string) =>
  withClient(url, async (c) => {
    let total = 0
    for (const t of ["messages", "queries", "documents", "document_collaborators", "user_profiles"]) {
      total += Number((await c.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n)
    }
    return total
  })

describe("omega-db CLI", () => {
  it.scopedLive(
    "runs phases 1 to 3 as schema, export and import, with summaries and JSON",
    () =>
      Effect.gen(function* () {
        const help = yield* runCli(["--help"])
        expect(help.code).toBe(0)
        for (const command of ["schema", "export", "import", "copy"]) expect(help.stdout).toContain(command)

        const legacy = yield* legacyDatabase({ messages: 500, form: "early" })
        const pg = yield* freshPostgres
        const db = ["--sqlite", legacy.path, "--postgres", pg.plainUrl]

        const schema = yield* runCli(["schema", ...db])
        expect(schema.stderr).toBe("")
        expect(schema.code).toBe(0)
        expect(schema.stdout).toMatch(/early schema before\): applied 1_legacy_baseline/)
        const again = yield* runCli(["schema", ...db, "--json"])
        expect(again.code).toBe(0)
        const summary = JSON.parse(again.stdout)
        expect(summary.sqlite).toMatchObject({ formBefore: "full", applied: [] })
        expect(summary.postgres.applied).toEqual([])
        const columns = yield* withSqlite(legacy.path, (d) =>
          d.prepare("SELECT count(*) FROM pragma_table_info('user_profiles')").pluck().get()
        )
        expect(columns).toBe(116)

        const out = join(legacy.dir, "migration-data")
        const exported = yield* runCli(["export", ...db, "--out", out])
        expect(exported.code).toBe(0)
        expect(exported.stdout).toMatch(/Total export time/)
        expect(fs.readdirSync(out).sort()).toEqual([
          "_metadata.json",
          "document_collaborators.jsonl",
          "documents.jsonl",
          "messages.jsonl",
          "queries.jsonl",
          "user_analysis_history.jsonl",
          "user_profiles.jsonl"
        ])
        // Without --force an existing export is never overwritten.
        const twice = yield* runCli(["export", ...db, "--out", out])
        expect(twice.code).toBe(1)
        expect(twice.stderr).toMatch(/already exists and is not empty/)

        const rejects = join(legacy.dir, "rejects.jsonl")
        const imported = yield* runCli(["import", "--postgres", pg.plainUrl, "--in", out, "--rejects", rejects])
        expect(imported.code).toBe(0)
        expect(imported.stdout).toMatch(
          /table name\s+read\s+written\s+skipped\s+rejected\s+sanitized\s+bad json\s+time/
        )
        expect(imported.stdout).toMatch(/Total import time\s+\d+\s+\d+\s+0\s+0/)
        const rerun = yield* runCli(["import", "--postgres", pg.plainUrl, "--in", out, "--rejects", rejects, "--json"])
        expect(rerun.code).toBe(0)
        const totals = JSON.parse(rerun.stdout).totals
        expect(totals.written).toBe(0)
        expect(totals.skipped).toBe(totals.read)
        expect(fs.existsSync(rejects)).toBe(false)
      }),
    120_000
  )

  it.scopedLive(
    "exits 2 when rows were rejected, naming the rejects file",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 300, quirks: true })
        const pg = yield* freshPostgres
        const rejects = join(legacy.dir, "rejects.jsonl")
        const copied = yield* runCli(["copy", "--sqlite", legacy.path, "--postgres", pg.plainUrl, "--rejects", rejects])
        expect(copied.code).toBe(2)
        expect(copied.stderr).toMatch(
          /omega-db: \d+ rows were not loaded; they are listed with their reasons in .*rejects\.jsonl/
        )
        expect(fs.readFileSync(rejects, "utf8").split("\n").filter(Boolean).length).toBeGreaterThan(0)
      }),
    120_000
  )

  it.scopedLive(
    "refuses bad input with a clear message, a non-zero exit and nothing written",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 200 })
        const pg = yield* freshPostgres
        const out = join(legacy.dir, "export")
        expect((yield* runCli(["export", "--sqlite", legacy.path, "--out", out])).code).toBe(0)
        const expectFailure = (result: { code: number | null; stderr: string }, message: RegExp) => {
          expect(result.code).toBe(1)
          expect(result.stderr).toMatch(message)
          expect(result.stderr.trim().split("\n").length).toBe(1)
        }

        // A wrong SQLite path: no database is created there, no export written.
        const missing = join(legacy.dir, "nope", "omega.db")
        const wrongPath = yield* runCli(["export", "--sqlite", missing, "--out", join(legacy.dir, "x")])
        expectFailure(wrongPath, /^omega-db: no SQLite database at .*nope\/omega\.db/)
        expect(fs.existsSync(missing)).toBe(false)
        expect(fs.existsSync(join(legacy.dir, "x"))).toBe(false)
        const copyWrong = yield* runCli(["copy", "--sqlite", missing, "--postgres", pg.plainUrl])
        expectFailure(copyWrong, /no SQLite database at/)
        const schemaWrong = yield* runCli(["schema", "--sqlite", missing, "--postgres", pg.plainUrl])
        expectFailure(schemaWrong, /no SQLite database at/)
        expect(fs.existsSync(missing)).toBe(false)

        // Not a SQLite file at all, or not the bot's database.
        const text = join(legacy.dir, "notes.txt")
        fs.writeFileSync(text, "hello, this is not a database, but it is long enough to look like a file header.\n")
        expectFailure(
          yield* runCli(["export", "--sqlite", text, "--out", join(legacy.dir, "y")]),
          /file is not a database/
        )
        const other = join(legacy.dir, "other.db")
        yield* withSqlite(other, (d) => d.exec("CREATE TABLE t (x)"))
        expectFailure(
          yield* runCli(["schema", "--sqlite", other, "--postgres", pg.plainUrl]),
          /is not the bot's SQLite database: it has none of the bot's tables/
        )
        expect(
          (yield* withSqlite(other, (d) => d.prepare("SELECT count(*) FROM sqlite_master").pluck().get())) as number
        ).toBe(1)

        // Unknown table, on the command line or in the metadata.
        expectFailure(
          yield* runCli(["copy", "--sqlite", legacy.path, "--postgres", pg.plainUrl, "--table", "nosuch"]),
          /unknown table "nosuch"/
        )
        expectFailure(
          yield* runCli(["import", "--postgres", pg.plainUrl, "--in", out, "--table", "nosuch"]),
          /unknown table "nosuch"/
        )

        // A broken export: each stops the import before PostgreSQL is touched.
        const broken = (name: string, damage: (dir: string) => void) => {
          const dir = join(legacy.dir, name)
          fs.cpSync(out, dir, { recursive: true })
          damage(dir)
          return dir
        }
        const importFrom = (dir: string) => runCli(["import", "--postgres", pg.plainUrl, "--in", dir])
        expectFailure(
          yield* importFrom(broken("missing-file", (d) => fs.rmSync(join(d, "queries.jsonl")))),
          /queries\.jsonl is missing/
        )
        expectFailure(
          yield* importFrom(
            broken("corrupt-file", (d) => {
              const file = join(d, "messages.jsonl")
              const bytes = fs.readFileSync(file)
              bytes[100] = bytes[100] === 0x61 ? 0x62 : 0x61
              fs.writeFileSync(file, bytes)
            })
          ),
          /messages\.jsonl does not match _metadata\.json .*truncated, edited or from another export/
        )
        expectFailure(
          yield* importFrom(
            broken("truncated-file", (d) => {
              const file = join(d, "documents.jsonl")
              fs.truncateSync(file, fs.statSync(file).size - 10)
            })
          ),
          /documents\.jsonl does not match/
        )
        expectFailure(
          yield* importFrom(
            broken("unknown-table", (d) => {
              const file = join(d, "_metadata.json")
              const metadata = JSON.parse(fs.readFileSync(file, "utf8"))
              metadata.tables.push({ ...metadata.tables[0], name: "secrets", file: "secrets.jsonl" })
              fs.writeFileSync(file, JSON.stringify(metadata))
            })
          ),
          /unknown table "secrets"/
        )
        expectFailure(
          yield* importFrom(broken("no-metadata", (d) => fs.rmSync(join(d, "_metadata.json")))),
          /_metadata\.json is missing/
        )
        expectFailure(
          yield* importFrom(broken("bad-metadata", (d) => fs.writeFileSync(join(d, "_metadata.json"), "{ not json"))),
          /_metadata\.json is not JSON/
        )
        expectFailure(yield* importFrom(join(legacy.dir, "no-such-dir")), /no export directory at/)
        expect(yield* tablesIn(pg.plainUrl)).toBe(0)

        // Databases that cannot be reached, or are not configured.
        const unreachable = "postgres://postgres@127.0.0.1:1/omega"
        expectFailure(
          yield* runCli(["copy", "--sqlite", legacy.path, "--postgres", unreachable]),
          /cannot connect to PostgreSQL: .*ECONNREFUSED/
        )
        expectFailure(yield* runCli(["import", "--postgres", unreachable, "--in", out]), /cannot connect to PostgreSQL/)
        expectFailure(
          yield* runCli(["copy", "--sqlite", legacy.path]),
          /configuration: PostgreSQL is not configured: set POSTGRES_URL, DATABASE_PUBLIC_URL or DATABASE_URL/
        )
        expect(yield* tablesIn(pg.plainUrl)).toBe(0)

        // The configuration is used when no flag is given.
        const viaEnv = yield* runCli(["copy", "--json"], {
          env: { SQLITE_PATH: legacy.path, DATABASE_URL: pg.plainUrl },
          cwd: legacy.dir
        })
        expect(viaEnv.code).toBe(0)
        expect(JSON.parse(viaEnv.stdout).totals.rejected).toBe(0)
        expect(yield* rowsIn(pg.plainUrl)).toBeGreaterThan(0)
      }),
    180_000
  )
})
