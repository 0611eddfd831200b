import { afterAll, describe, expect, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import {
  generateLegacyDatabase,
  LegacyGeneratorError,
  type LegacyDatabaseSummary,
  type LegacyQuirk
} from "../src/testkit/LegacyDatabaseGenerator.js"
import { legacyLateProfileColumns, legacySchemaSql, legacySchemaSqlEarly } from "../src/runtime/schema/LegacySchema.js"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "legacy-generator-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const N = 3000

/** Opens a generated file read-only for the duration of `f`. */
const readBack = <A>(file: string, f: (db: Database.Database) => A): A => {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return f(db)
  } finally {
    db.close()
  }
}

const count = (db: Database.Database, sql: string, ...params: Array<string | number>): number =>
  db.prepare<Array<string | number>, { n: number }>(sql).get(...params)?.n ?? -1

/** FTS5 'integrity-check' with rank 1 also compares the index with the external content table. */
const ftsIntegrityCheck = (file: string): void => {
  const db = new Database(file, { fileMustExist: true })
  try {
    db.prepare("INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)").run()
  } finally {
    db.close()
  }
}

const columnsOf = (db: Database.Database, table: string): ReadonlyArray<string> =>
  db
    .prepare<[], { name: string }>(`PRAGMA table_info(${table})`)
    .all()
    .map((c) => c.name)

const cell = (db: Database.Database, q: LegacyQuirk): { value: unknown; type: string } | undefined =>
  db
    .prepare<[string], { value: unknown; type: string }>(
      `SELECT ${q.column} AS value, typeof(${q.column}) AS type FROM ${q.table} WHERE id = ?`
    )
    .get(q.id)

const master = (db: Database.Database): ReadonlyArray<unknown> =>
  db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid").all()

/** sqlite_master of a database where `schema` was applied up front. */
const referenceMaster = (schema: string): ReadonlyArray<unknown> => {
  const db = new Database(":memory:")
  try {
    db.exec(schema)
    return master(db)
  } finally {
    db.close()
  }
}

const jsonColumns: ReadonlyArray<readonly [string, string]> = [
  ["messages", "tool_args"],
  ["messages", "tool_result"],
  ["messages", "metadata"],
  ["messages", "sentiment_analysis"],
  ["messages", "response_decision"],
  ["queries", "query_result"],
  ["queries", "sentiment_analysis"],
  ["documents", "metadata"],
  ["user_analysis_history", "feelings_snapshot"],
  ["user_analysis_history", "personality_snapshot"],
  ...[
    "secondary_archetypes",
    "primary_interests",
    "expertise_areas",
    "notable_patterns",
    "dominant_emotions",
    "feelings_json",
    "personality_facets",
    "uploaded_photo_metadata",
    "distinctive_features",
    "accessories"
  ].map((c) => ["user_profiles", c] as const)
]

/** JSON columns among the 18 late user_profiles columns (absent from the early form). */
const lateJsonColumns: ReadonlyArray<readonly [string, string]> = [
  "cultural_values",
  "predicted_behaviors",
  "world_model_adjustments",
  "personal_model_adjustments"
].map((c) => ["user_profiles", c] as const)

const expectedCounts = (quirks: boolean) => ({
  messages: N,
  queries: N / 10,
  documents: N / 100,
  document_collaborators: (3 * N) / 100 + (quirks ? 5 : 0),
  user_profiles: N / 50,
  user_analysis_history: (2 * N) / 50 + (quirks ? 5 : 0)
})

describe("LegacySchema", () => {
  it("keeps the production schema and derives the early form by dropping the 18 late columns", () => {
    expect(legacySchemaSql.startsWith("CREATE TABLE messages (")).toBe(true)
    expect(legacySchemaSql).toContain("DELETE FROM messages_fts WHERE rowid = old.rowid;")
    expect(legacyLateProfileColumns).toHaveLength(18)
    expect(legacyLateProfileColumns[0]).toBe("cultural_background")
    expect(legacyLateProfileColumns[17]).toBe("personal_model_adjustments")
    const full = legacySchemaSql.split("\n")
    const early = legacySchemaSqlEarly.split("\n")
    expect(full.length - early.length).toBe(18)
    expect(full.filter((line) => !early.includes(line)).map((line) => line.trim().split(" ")[0])).toEqual([
      ...legacyLateProfileColumns
    ])
    for (const sql of [legacySchemaSql, legacySchemaSqlEarly]) {
      const db = new Database(":memory:")
      db.exec(sql)
      db.close()
    }
  })
})

describe("generateLegacyDatabase", () => {
  const fullPath = path.join(dir, "full-quirks.db")
  // One full database with quirks, generated once and shared by the tests that read it.
  let fullSummary: Promise<LegacyDatabaseSummary> | undefined
  const full = Effect.promise(() => {
    fullSummary ??= Effect.runPromise(
      generateLegacyDatabase({ path: fullPath, form: "full", messages: N, seed: 7, quirks: true })
    )
    return fullSummary
  })

  it.effect("generates the full form with quirks", () =>
    Effect.gen(function* () {
      const summary = yield* full
      expect(summary.form).toBe("full")
      expect(summary.seed).toBe(7)
      expect(summary.counts).toEqual(expectedCounts(true))
      readBack(fullPath, (db) => {
        for (const [table, n] of Object.entries(summary.counts)) {
          expect(count(db, `SELECT COUNT(*) AS n FROM ${table}`)).toBe(n)
        }
        const profileColumns = columnsOf(db, "user_profiles")
        for (const column of legacyLateProfileColumns) expect(profileColumns).toContain(column)
        expect(count(db, "SELECT COUNT(DISTINCT user_id) AS n FROM messages")).toBeLessThanOrEqual(N / 50)
        expect(count(db, "SELECT COUNT(DISTINCT channel_id) AS n FROM messages")).toBe(50)
        expect(count(db, "SELECT COUNT(*) AS n FROM messages WHERE sender_type = 'tool' AND tool_name IS NULL")).toBe(0)
        // Milliseconds for messages/queries timestamps, seconds elsewhere.
        expect(count(db, "SELECT COUNT(*) AS n FROM messages WHERE timestamp < 1000000000000")).toBe(0)
        expect(count(db, "SELECT COUNT(*) AS n FROM queries WHERE timestamp < 1000000000000")).toBe(0)
        expect(count(db, "SELECT COUNT(*) AS n FROM messages WHERE created_at > 10000000000")).toBe(0)
        expect(count(db, "SELECT COUNT(*) AS n FROM user_profiles WHERE first_seen_at > 10000000000")).toBe(0)
        // Every profile column is filled with something in most rows.
        for (const column of profileColumns) {
          expect(count(db, `SELECT COUNT(*) AS n FROM user_profiles WHERE ${column} IS NOT NULL`)).toBeGreaterThan(0)
        }
        expect(count(db, "SELECT COUNT(*) AS n FROM user_profiles WHERE openness_score NOT BETWEEN 0 AND 100")).toBe(0)
        expect(count(db, "SELECT COUNT(*) AS n FROM user_profiles WHERE gender_confidence NOT BETWEEN 0 AND 1")).toBe(0)
        // Full-text search has something to find, unicode included.
        expect(count(db, "SELECT COUNT(*) AS n FROM messages_fts WHERE messages_fts MATCH 'people'")).toBeGreaterThan(0)
        expect(count(db, "SELECT COUNT(*) AS n FROM messages WHERE message_content LIKE '%café%'")).toBeGreaterThan(0)
        expect(count(db, "SELECT COUNT(*) AS n FROM messages_fts WHERE messages_fts MATCH 'café'")).toBeGreaterThan(0)
        // Collaborators are unique per document and the unique index exists.
        expect(
          count(
            db,
            `SELECT COUNT(*) AS n FROM (
               SELECT 1 FROM document_collaborators GROUP BY document_id, user_id HAVING COUNT(*) > 1)`
          )
        ).toBe(0)
      })
    })
  )

  it.effect("plants the quirks exactly where the summary says", () =>
    Effect.gen(function* () {
      const summary = yield* full
      const kinds = new Set(summary.quirks.map((q) => q.kind))
      expect([...kinds].sort()).toEqual([
        "empty_text_in_numeric_column",
        "fts_stale_after_delete",
        "fts_stale_after_update",
        "invalid_json",
        "nul_character",
        "null_boolean",
        "orphan_row",
        "real_in_integer_column"
      ])
      const perPlace = new Map<string, number>()
      for (const q of summary.quirks) {
        const key = `${q.table}.${q.column}.${q.kind}`
        perPlace.set(key, (perPlace.get(key) ?? 0) + 1)
      }
      for (const n of perPlace.values()) expect(n).toBeLessThanOrEqual(5)

      readBack(fullPath, (db) => {
        for (const q of summary.quirks) {
          const found = cell(db, q)
          switch (q.kind) {
            case "invalid_json":
              expect(found?.type).toBe("text")
              expect(() => JSON.parse(String(found?.value))).toThrow()
              break
            case "nul_character":
              expect(String(found?.value)).toContain("\u0000")
              break
            case "real_in_integer_column":
              expect(found?.type).toBe("real")
              expect(Number.isInteger(found?.value)).toBe(false)
              break
            case "empty_text_in_numeric_column":
              expect(found).toEqual({ value: "", type: "text" })
              break
            case "null_boolean":
              expect(found).toEqual({ value: null, type: "null" })
              break
            case "orphan_row": {
              const parent =
                q.table === "document_collaborators"
                  ? `SELECT COUNT(*) AS n FROM documents
                     WHERE id = (SELECT document_id FROM document_collaborators WHERE id = ?)`
                  : `SELECT COUNT(*) AS n FROM user_profiles
                     WHERE user_id = (SELECT user_id FROM user_analysis_history WHERE id = ?)`
              expect(found?.type).toBe("text")
              expect(count(db, parent, q.id)).toBe(0)
              break
            }
            case "fts_stale_after_update":
            case "fts_stale_after_delete":
              expect(summary.staleFts.map((s) => s.id)).toContain(q.id)
              if (q.kind === "fts_stale_after_delete") expect(found).toBeUndefined()
              break
          }
        }

        // Nothing else is anomalous: the summary lists every anomaly of these kinds.
        const planted = (table: string, column: string, kind: LegacyQuirk["kind"]): ReadonlyArray<string> =>
          summary.quirks
            .filter((q) => q.table === table && q.column === column && q.kind === kind)
            .map((q) => q.id)
            .sort()
        const ids = (sql: string): ReadonlyArray<string> =>
          db
            .prepare<[], { id: string }>(sql)
            .all()
            .map((r) => r.id)
            .sort()
        for (const [table, column] of [...jsonColumns, ...lateJsonColumns]) {
          expect(ids(`SELECT id FROM ${table} WHERE ${column} IS NOT NULL AND NOT json_valid(${column})`)).toEqual(
            planted(table, column, "invalid_json")
          )
        }
        expect(ids("SELECT id FROM messages WHERE instr(message_content, char(0)) > 0")).toEqual(
          planted("messages", "message_content", "nul_character")
        )
        expect(ids("SELECT id FROM messages WHERE typeof(created_at) <> 'integer'")).toEqual(
          planted("messages", "created_at", "real_in_integer_column")
        )
        expect(ids("SELECT id FROM user_profiles WHERE typeof(openness_score) = 'real'")).toEqual(
          planted("user_profiles", "openness_score", "real_in_integer_column")
        )
        expect(ids("SELECT id FROM queries WHERE typeof(execution_time_ms) = 'text'")).toEqual(
          planted("queries", "execution_time_ms", "empty_text_in_numeric_column")
        )
        expect(ids("SELECT id FROM documents WHERE is_public IS NULL")).toEqual(
          planted("documents", "is_public", "null_boolean")
        )
        expect(count(db, "SELECT COUNT(*) AS n FROM documents WHERE is_public NOT IN (0, 1)")).toBe(0)

        // The legacy FTS index is stale: old words still match rows that no longer contain them.
        expect(summary.staleFts.filter((s) => s.action === "update")).toHaveLength(2)
        expect(summary.staleFts.filter((s) => s.action === "delete")).toHaveLength(2)
        for (const stale of summary.staleFts) {
          const row = db
            .prepare<[number], { id: string; message_content: string }>(
              "SELECT id, message_content FROM messages WHERE rowid = ?"
            )
            .get(stale.rowid)
          expect(row?.message_content ?? null).toBe(stale.currentContent)
          if (stale.action === "update") expect(row?.id).toBe(stale.id)
          expect(stale.staleTerms.length).toBeGreaterThan(0)
          for (const term of stale.staleTerms) {
            expect(row?.message_content ?? "").not.toMatch(new RegExp(`\\b${term}\\b`))
            // Note: `rowid = ?` bound to a JS number (a REAL for SQLite) is ignored by FTS5; filter here instead.
            const matched = db
              .prepare<[string], { rowid: number }>("SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?")
              .all(`"${term}"`)
              .map((r) => r.rowid)
            expect(matched).toContain(stale.rowid)
          }
        }
      })
      expect(() => ftsIntegrityCheck(fullPath)).toThrow(/malformed/)
    })
  )

  it.effect("lists the same schema objects, in the same order, as applying the schema up front", () =>
    Effect.gen(function* () {
      yield* full
      readBack(fullPath, (db) => expect(master(db)).toEqual(referenceMaster(legacySchemaSql)))
    })
  )

  it.effect("generates the early form without quirks", () =>
    Effect.gen(function* () {
      const file = path.join(dir, "early.db")
      const summary = yield* generateLegacyDatabase({ path: file, form: "early", messages: N })
      expect(summary.form).toBe("early")
      expect(summary.counts).toEqual(expectedCounts(false))
      expect(summary.quirks).toEqual([])
      expect(summary.staleFts).toEqual([])
      readBack(file, (db) => {
        const profileColumns = columnsOf(db, "user_profiles")
        for (const column of legacyLateProfileColumns) expect(profileColumns).not.toContain(column)
        expect(profileColumns).toContain("updated_at")
        const reference = new Database(":memory:")
        reference.exec(legacySchemaSql)
        expect(profileColumns).toHaveLength(columnsOf(reference, "user_profiles").length - 18)
        reference.close()
        for (const [table, column] of jsonColumns) {
          expect(
            count(db, `SELECT COUNT(*) AS n FROM ${table} WHERE ${column} IS NOT NULL AND NOT json_valid(${column})`)
          ).toBe(0)
        }
        expect(count(db, "SELECT COUNT(*) AS n FROM messages WHERE instr(message_content, char(0)) > 0")).toBe(0)
        expect(count(db, "SELECT COUNT(*) AS n FROM documents WHERE is_public IS NULL")).toBe(0)
        expect(
          count(
            db,
            "SELECT COUNT(*) AS n FROM document_collaborators WHERE document_id NOT IN (SELECT id FROM documents)"
          )
        ).toBe(0)
      })
      readBack(file, (db) => expect(master(db)).toEqual(referenceMaster(legacySchemaSqlEarly)))
      // Without the UPDATE/DELETE quirk, the FTS index matches its content table.
      ftsIntegrityCheck(file)
    })
  )

  it.effect("is deterministic for a given seed", () =>
    Effect.gen(function* () {
      const a = path.join(dir, "det-a.db")
      const b = path.join(dir, "det-b.db")
      const options = { form: "full", messages: 500, seed: 99, quirks: true } as const
      const first = yield* generateLegacyDatabase({ ...options, path: a })
      const second = yield* generateLegacyDatabase({ ...options, path: b })
      expect({ ...second, path: a }).toEqual(first)
      const dump = (file: string) =>
        readBack(file, (db) => ({
          messages: db.prepare("SELECT * FROM messages ORDER BY rowid").all(),
          profiles: db.prepare("SELECT * FROM user_profiles ORDER BY rowid").all()
        }))
      expect(dump(b)).toEqual(dump(a))
      const other = yield* generateLegacyDatabase({ ...options, seed: 100, path: path.join(dir, "det-c.db") })
      expect(other.quirks).not.toEqual(first.quirks)
    })
  )

  it.effect("skews authors, channels and words when asked, and changes nothing else", () =>
    Effect.gen(function* () {
      const uniform = path.join(dir, "uniform.db")
      const skewed = path.join(dir, "skewed.db")
      const options = { form: "full", messages: N, seed: 7 } as const
      const plain = yield* generateLegacyDatabase({ ...options, path: uniform })
      const zipf = yield* generateLegacyDatabase({ ...options, path: skewed, skewed: true })
      expect(zipf.counts).toEqual(plain.counts)
      const shape = (file: string) =>
        readBack(file, (db) => {
          const shares = (column: string) =>
            db
              .prepare(`SELECT count(*) AS n FROM messages GROUP BY ${column} ORDER BY n DESC`)
              .pluck()
              .all()
              .map((n) => Number(n) / N)
          return {
            users: shares("user_id"),
            channels: shares("channel_id"),
            the: count(db, "SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'the'") / N,
            ids: db.prepare("SELECT id, timestamp, sender_type FROM messages ORDER BY rowid").all()
          }
        })
      const [a, b] = [shape(uniform), shape(skewed)]
      // Uniform: the busiest user writes a few times the median's share, every word is about as rare as the next.
      expect(a.users[0]! / a.users[Math.floor(a.users.length / 2)]!).toBeLessThan(5)
      expect(a.the).toBeLessThan(0.05)
      // Skewed: a heavy user, a busy channel, and "the" in most messages.
      expect(b.users[0]! / b.users[Math.floor(b.users.length / 2)]!).toBeGreaterThan(8)
      expect(b.channels[0]).toBeGreaterThan(0.15)
      expect(b.the).toBeGreaterThan(0.5)
      // The same draws, mapped differently: ids, times and sender types do not move.
      expect(b.ids).toEqual(a.ids)
    })
  )

  it.effect("refuses an existing path with a typed error and leaves the file alone", () =>
    Effect.gen(function* () {
      const file = path.join(dir, "existing.db")
      fs.writeFileSync(file, "not a database")
      const error = yield* Effect.flip(generateLegacyDatabase({ path: file, form: "full", messages: 100 }))
      expect(error).toBeInstanceOf(LegacyGeneratorError)
      expect(error._tag).toBe("LegacyGeneratorError")
      expect(error.message).toContain("refusing to overwrite")
      expect(fs.readFileSync(file, "utf8")).toBe("not a database")
    })
  )

  it.effect("rejects an invalid message count", () =>
    Effect.gen(function* () {
      const file = path.join(dir, "invalid.db")
      const error = yield* Effect.flip(generateLegacyDatabase({ path: file, form: "full", messages: -1 }))
      expect(error._tag).toBe("LegacyGeneratorError")
      expect(fs.existsSync(file)).toBe(false)
    })
  )
})
