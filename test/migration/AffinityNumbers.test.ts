/**
 * The numbers the bot's analysis writes, as a legacy database holds them (fractional scores such as 24.5 in
 * INTEGER profile columns, numeric text SQLite's affinity stored as the number), copied and imported into
 * PostgreSQL: no row is rejected, and every value is the same on both sides, read as the runtime reads it.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import { copyData } from "../../src/programs/data/CopyData.js"
import { exportData } from "../../src/programs/data/ExportData.js"
import { importData } from "../../src/programs/data/ImportData.js"
import * as SqliteSource from "../../src/programs/data/SqliteSource.js"
import { isNumericKind } from "../../src/runtime/domain/Column.js"
import { tables } from "../../src/runtime/domain/Tables.js"
import * as PostgresDatabase from "../../src/runtime/layers/PostgresDatabase.js"
import { copyLayers, dump, freshPostgres, legacyDatabase, postgresLayer, withSqlite } from "./support/Fixtures.js"

type Row = Record<string, unknown>

/** Every numeric cell of every table, keyed `table/id/column`, as each side's reader returns it. */
const sqliteNumbers = (path: string) =>
  withSqlite(path, (db) => {
    const out = new Map<string, unknown>()
    for (const table of tables) {
      for (const row of db.prepare(`SELECT * FROM ${table.name}`).all() as Array<Row>) {
        for (const [name, column] of Object.entries(table.columns)) {
          if (isNumericKind(column.kind)) out.set(`${table.name}/${String(row["id"])}/${name}`, row[name])
        }
      }
    }
    return out
  })

/** Through the runtime's own pool (its type parsers turn NUMERIC and BIGINT into JS numbers). */
const postgresNumbers = Effect.gen(function* () {
  const { sql } = yield* PostgresDatabase.PostgresDatabase
  const out = new Map<string, unknown>()
  for (const table of tables) {
    for (const row of yield* sql<Row>`SELECT * FROM ${sql(table.name)}`) {
      for (const [name, column] of Object.entries(table.columns)) {
        if (isNumericKind(column.kind)) out.set(`${table.name}/${String(row["id"])}/${name}`, row[name])
      }
    }
  }
  return out
})

describe("the bot's numbers in a legacy database", () => {
  it.scopedLive(
    "copy and import load fractions and affinity-converted text in INTEGER columns with no row rejected",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 10_000, affinityNumbers: true })
        const planted = legacy.summary.quirks
        const kinds = new Set(planted.map((q) => q.kind))
        expect([...kinds].sort()).toEqual(["numeric_text_in_integer_column", "real_in_integer_column"])
        // What the file holds: numbers, never the text the bot wrote (SQLite's affinity converted it).
        const stored = yield* withSqlite(legacy.path, (db) =>
          planted.map((q) =>
            db
              .prepare(`SELECT ${q.column} AS value, typeof(${q.column}) AS type FROM ${q.table} WHERE id = ?`)
              .get(q.id)
          )
        )
        for (const [i, cell] of stored.entries()) {
          const { type, value } = cell as { type: string; value: number }
          expect(type, planted[i]!.detail).toBe(Number.isInteger(value) ? "integer" : "real")
          expect(planted[i]!.detail).toMatch(new RegExp(`(REAL|INTEGER) ${value}$`))
        }
        expect(stored.filter((c) => (c as { type: string }).type === "real").length).toBeGreaterThanOrEqual(4)

        const pg = yield* freshPostgres
        const rejectsPath = join(legacy.dir, "rejects.jsonl")
        const summary = yield* copyData({ rejectsPath }).pipe(Effect.provide(copyLayers(legacy.path, pg)))
        expect(summary.totals.rejected).toBe(0)
        for (const t of summary.tables) expect(t.written, t.table).toBe(legacy.summary.counts[t.table])
        expect(fs.existsSync(rejectsPath)).toBe(false)

        const sqlite = yield* sqliteNumbers(legacy.path)
        const postgres = yield* postgresNumbers.pipe(Effect.provide(PostgresDatabase.layer(pg)))
        expect(postgres.size).toBe(sqlite.size)
        for (const [key, value] of sqlite) expect(postgres.get(key), key).toBe(value)
        for (const q of planted) {
          const key = `${q.table}/${q.id}/${q.column}`
          expect(typeof postgres.get(key), key).toBe("number")
        }

        // export + import loads the same values, again with nothing rejected.
        const exportDir = join(legacy.dir, "export")
        yield* exportData({ outDir: exportDir }).pipe(Effect.provide(SqliteSource.layer(legacy.path)))
        const pg2 = yield* freshPostgres
        const imported = yield* importData({ inDir: exportDir, rejectsPath: join(legacy.dir, "rejects2.jsonl") }).pipe(
          Effect.provide(postgresLayer(pg2))
        )
        expect(imported.totals.rejected).toBe(0)
        expect(yield* dump(pg2.plainUrl)).toEqual(yield* dump(pg.plainUrl))
      }),
    120_000
  )
})
