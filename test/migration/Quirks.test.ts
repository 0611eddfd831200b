/**
 * Every data quirk of the legacy schema, planted by the generator, handled without losing anything: each planted
 * cell is either loaded (invalid JSON kept as a JSONB string, U+0000 removed, NULL booleans kept, a REAL in an
 * INTEGER column kept as it is) or its row is in the rejects file with table, key, column and original value, and
 * the summary counts all of it.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import { tableByName } from "../../src/runtime/domain/Tables.js"
import { legacyLateProfileColumns } from "../../src/runtime/schema/LegacySchema.js"
import { copyData } from "../../src/programs/data/CopyData.js"
import { exportData } from "../../src/programs/data/ExportData.js"
import { importData } from "../../src/programs/data/ImportData.js"
import type { LoadSummary } from "../../src/programs/data/LoadSummary.js"
import * as SqliteSource from "../../src/programs/data/SqliteSource.js"
import {
  copyLayers,
  dump,
  freshPostgres,
  legacyDatabase,
  postgresLayer,
  withClient,
  withSqlite
} from "./support/Fixtures.js"

interface RejectRecord {
  readonly table: string
  readonly key: string
  readonly kind: string
  readonly reason: string
  readonly column?: string
  readonly value?: unknown
  readonly row: Record<string, unknown>
}

const readRejects = (file: string): ReadonlyArray<RejectRecord> =>
  fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as RejectRecord)

const byTable = (summary: LoadSummary, table: string) => summary.tables.find((t) => t.table === table)!

describe("legacy data quirks", () => {
  it.scopedLive(
    "loads or rejects every planted quirk, accounted for in the summary and the rejects file",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 2000, quirks: true })
        // Text that is no number in an INTEGER column (SQLite keeps it; no PostgreSQL number type can): its profile
        // is rejected, and so is the profile's history, which shows how a rejected parent's children are reported.
        const textProfile = ["profile-1", "profile-2", "profile-3"].find(
          (id) => !legacy.summary.quirks.some((q) => q.id === id)
        )!
        yield* withSqlite(legacy.path, (db) =>
          db.prepare("UPDATE user_profiles SET trust_level = 'very high' WHERE id = ?").run(textProfile)
        )
        const quirks = [
          ...legacy.summary.quirks,
          {
            table: "user_profiles",
            id: textProfile,
            column: "trust_level",
            kind: "empty_text_in_numeric_column",
            detail: "'very high'"
          } as const
        ]
        const pg = yield* freshPostgres
        const rejectsPath = join(legacy.dir, "rejects.jsonl")
        const summary = yield* copyData({ rejectsPath }).pipe(Effect.provide(copyLayers(legacy.path, pg)))
        const rejects = readRejects(rejectsPath)
        const rejected = (table: string, key: string) => rejects.find((r) => r.table === table && r.key === key)
        const pgValue = (table: string, id: string, column: string) =>
          withClient(pg.plainUrl, async (c) => {
            const r = await c.query(`SELECT (${column})::text AS v, 1 AS present FROM ${table} WHERE id = $1`, [id])
            return r.rows[0] as { v: string | null; present: number } | undefined
          })

        // Every row read is written, skipped or rejected; every rejected row is in the file.
        for (const t of summary.tables) expect(t.read).toBe(t.written + t.skipped + t.rejected)
        expect(rejects.length).toBe(summary.totals.rejected)
        expect(summary.rejectsFile).toBe(rejectsPath)

        for (const quirk of quirks) {
          switch (quirk.kind) {
            case "invalid_json": {
              const reject = rejected(quirk.table, quirk.id)
              if (reject !== undefined) {
                // Rejected for another reason (its parent was rejected): the text is kept in the rejects file.
                expect(reject.row[quirk.column]).toBe(quirk.detail)
                break
              }
              const row = yield* pgValue(quirk.table, quirk.id, `${quirk.column} #>> '{}'`)
              const type = yield* pgValue(quirk.table, quirk.id, `jsonb_typeof(${quirk.column})`)
              expect(type?.v).toBe("string")
              expect(row?.v).toBe(quirk.detail)
              break
            }
            case "nul_character": {
              const original = yield* withSqlite(legacy.path, (db) =>
                db.prepare(`SELECT ${quirk.column} FROM ${quirk.table} WHERE id = ?`).pluck().get(quirk.id)
              )
              const row = yield* pgValue(quirk.table, quirk.id, quirk.column)
              expect(String(original)).toContain("\u0000")
              expect(row?.v).toBe(String(original).replaceAll("\u0000", ""))
              break
            }
            case "real_in_integer_column": {
              const kind = tableByName(quirk.table)!.columns[quirk.column]!.kind
              if (kind === "integer") {
                // NUMERIC keeps what SQLite keeps: the fraction, exactly.
                const original = yield* withSqlite(legacy.path, (db) =>
                  db.prepare(`SELECT ${quirk.column} FROM ${quirk.table} WHERE id = ?`).pluck().get(quirk.id)
                )
                expect(rejected(quirk.table, quirk.id)).toBeUndefined()
                expect(Number((yield* pgValue(quirk.table, quirk.id, quirk.column))?.v)).toBe(original)
                expect(Number.isInteger(original)).toBe(false)
                break
              }
              // Time columns stay BIGINT (whole seconds): a fraction there is reported, not rounded.
              const reject = rejected(quirk.table, quirk.id)
              expect(kind).toBe("epochSeconds")
              expect(reject?.kind).toBe("mismatch")
              expect(reject?.column).toBe(quirk.column)
              expect(reject?.row[quirk.column]).toEqual(reject?.value)
              expect(reject?.reason).toMatch(/REAL \d+\.5 in an epoch seconds \(BIGINT\) column/)
              expect(yield* pgValue(quirk.table, quirk.id, "id")).toBeUndefined()
              break
            }
            case "empty_text_in_numeric_column": {
              const reject = rejected(quirk.table, quirk.id)
              expect(reject?.kind).toBe("mismatch")
              expect(reject?.column).toBe(quirk.column)
              expect(reject?.row[quirk.column]).toEqual(reject?.value)
              expect(reject?.reason).toMatch(/TEXT "(very high)?" in an INTEGER column/)
              expect(yield* pgValue(quirk.table, quirk.id, "id")).toBeUndefined()
              break
            }
            case "numeric_text_in_integer_column":
              break
            case "null_boolean": {
              const row = yield* pgValue(quirk.table, quirk.id, quirk.column)
              expect(row?.present).toBe(1)
              expect(row?.v).toBeNull()
              break
            }
            case "orphan_row": {
              const reject = rejected(quirk.table, quirk.id)
              expect(reject?.kind).toBe("orphan")
              expect(reject?.reason).toMatch(/no row in/)
              expect(yield* pgValue(quirk.table, quirk.id, "id")).toBeUndefined()
              break
            }
            case "fts_stale_after_update":
            case "fts_stale_after_delete":
              break
          }
        }

        const count = (kind: string, table: string) => quirks.filter((q) => q.kind === kind && q.table === table).length
        expect(byTable(summary, "messages").sanitized).toBe(count("nul_character", "messages"))
        expect(byTable(summary, "queries").invalidJson).toBe(count("invalid_json", "queries"))
        expect(byTable(summary, "user_analysis_history").invalidJson).toBe(
          count("invalid_json", "user_analysis_history")
        )
        expect(byTable(summary, "queries").rejected).toBe(count("empty_text_in_numeric_column", "queries"))
        // History rows of a rejected profile are orphans in PostgreSQL too, and say why.
        const rejectedProfiles = rejects.filter((r) => r.table === "user_profiles").map((r) => r.row["user_id"])
        const orphansOfRejected = rejects.filter(
          (r) => r.table === "user_analysis_history" && rejectedProfiles.includes(r.row["user_id"])
        )
        expect(orphansOfRejected.length).toBeGreaterThan(0)
        for (const r of orphansOfRejected) expect(r.reason).toMatch(/row was rejected in this run/)

        // A reject's row is the source row, exactly, whether kept or restored from what was sent to PostgreSQL.
        for (const reject of rejects) {
          const source = yield* withSqlite(legacy.path, (db) =>
            db.prepare(`SELECT * FROM ${reject.table} WHERE id = ?`).get(reject.key)
          )
          expect(reject.row).toEqual(source)
        }

        // export + import handles the same quirks the same way.
        const exportDir = join(legacy.dir, "export")
        yield* exportData({ outDir: exportDir }).pipe(Effect.provide(SqliteSource.layer(legacy.path)))
        const pg2 = yield* freshPostgres
        const imported = yield* importData({ inDir: exportDir, rejectsPath: join(legacy.dir, "rejects2.jsonl") }).pipe(
          Effect.provide(postgresLayer(pg2))
        )
        expect(imported.totals).toEqual(summary.totals)
        expect(yield* dump(pg2.plainUrl)).toEqual(yield* dump(pg.plainUrl))
        const key = (r: RejectRecord) => `${r.table}/${r.key}/${r.reason}`
        expect(readRejects(join(legacy.dir, "rejects2.jsonl")).map(key).sort()).toEqual(rejects.map(key).sort())
      }),
    120_000
  )

  it.scopedLive(
    "an early-form database (without the late user_profiles columns) loads NULL there",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 300, form: "early" })
        const pg = yield* freshPostgres
        const summary = yield* copyData({ rejectsPath: join(legacy.dir, "rejects.jsonl") }).pipe(
          Effect.provide(copyLayers(legacy.path, pg))
        )
        expect(summary.sourceForm).toBe("early")
        expect(summary.totals.rejected).toBe(0)
        expect(summary.warnings.join("\n")).toMatch(/user_profiles: the source lacks 18 later columns/)
        const profiles = byTable(summary, "user_profiles")
        expect(profiles.written).toBe(legacy.summary.counts.user_profiles)
        const nonNull = yield* withClient(pg.plainUrl, async (c) => {
          const checks = legacyLateProfileColumns.map((col) => `count(${col})`).join(" + ")
          return Number((await c.query(`SELECT ${checks} AS n FROM user_profiles`)).rows[0].n)
        })
        expect(nonNull).toBe(0)

        const exportDir = join(legacy.dir, "export")
        const exported = yield* exportData({ outDir: exportDir }).pipe(Effect.provide(SqliteSource.layer(legacy.path)))
        expect(exported.schemaForm).toBe("early")
        const metadata = JSON.parse(fs.readFileSync(join(exportDir, "_metadata.json"), "utf8"))
        expect(metadata.source.schemaForm).toBe("early")
        const pg2 = yield* freshPostgres
        yield* importData({ inDir: exportDir, rejectsPath: join(legacy.dir, "rejects2.jsonl") }).pipe(
          Effect.provide(postgresLayer(pg2))
        )
        expect(yield* dump(pg2.plainUrl)).toEqual(yield* dump(pg.plainUrl))
      }),
    120_000
  )
})
