/**
 * SQLite's search picks how to find a page by how common the words are (SqliteSearchPlan.ts). The three forms
 * are different SQL for one question, so each must return exactly the same page whatever the word and filter; and
 * the choice must follow the costs: rare words gathered, common ones tested row by row.
 */
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as SqliteDatabase from "../../src/runtime/layers/SqliteDatabase.js"
import { SqliteStoreLive } from "../../src/runtime/layers/StoreLayers.js"
import { chooseForm, searchCondition, type SqliteSearchForm } from "../../src/runtime/store/SqliteSearchPlan.js"
import { SqliteStore } from "../../src/runtime/store/Store.js"
import { tempSqlite } from "../support/TestDatabases.js"

const forms: ReadonlyArray<SqliteSearchForm> = ["gather", "walkSet", "walkProbe"]

/**
 * 3,000 messages: "every" in each, "half" in every other, "tenth" in one of ten, "rare" in three; timestamps with
 * ties (every three messages share one), two users and two channels.
 */
const seed = Effect.gen(function* () {
  const { sql } = yield* SqliteDatabase.SqliteDatabase
  yield* sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
    INSERT INTO messages (id, timestamp, sender_type, user_id, channel_id, message_content)
    SELECT printf('m-%05d', i), 1700000000000 + i / 3, 'human', 'user-' || (i % 2), 'chan-' || (i % 7 = 0),
      'every' || CASE WHEN i % 2 = 0 THEN ' half' ELSE '' END || CASE WHEN i % 10 = 0 THEN ' tenth' ELSE '' END
        || CASE WHEN i IN (5, 1500, 2999) THEN ' rare' ELSE '' END
    FROM n`
})

const Live = Layer.unwrapScoped(
  Effect.map(tempSqlite(), (options) =>
    SqliteStoreLive.pipe(
      Layer.provideMerge(SqliteDatabase.layer(options)),
      Layer.tap((context) => Effect.provide(seed, context))
    )
  )
)

describe("sqlite: the search's three forms", () => {
  layer(Live, { timeout: 60_000 })((it) => {
    it.effect("return the same page for every word, filter and offset", () =>
      Effect.gen(function* () {
        const { sql } = yield* SqliteDatabase.SqliteDatabase
        const store = yield* SqliteStore
        const filters = [sql.literal("1 = 1"), sql`user_id = ${"user-1"}`, sql`channel_id = ${"chan-1"}`]
        for (const word of ["every", "half", "tenth", "rare", "absent"]) {
          for (const filter of filters) {
            for (const offset of [0, 7]) {
              const pages = yield* Effect.forEach(forms, (form) =>
                sql<{ id: string }>`SELECT id FROM messages
                  WHERE ${filter} AND ${searchCondition(sql, `"${word}"`, form)}
                  ORDER BY timestamp DESC, id DESC LIMIT 20 OFFSET ${offset}`.pipe(
                  Effect.map((rows) => rows.map((r) => r.id))
                )
              )
              expect(pages[1]).toEqual(pages[0])
              expect(pages[2]).toEqual(pages[0])
            }
          }
          // And what the Store itself returns, whichever form it chose.
          const gathered = yield* sql<{ id: string }>`SELECT id FROM messages
            WHERE ${searchCondition(sql, `"${word}"`, "gather")} ORDER BY timestamp DESC, id DESC LIMIT 20`
          const served = yield* store.queryMessages({ searchText: word, limit: 20 })
          expect(served.map((m) => m.id)).toEqual(gathered.map((r) => r.id))
        }
      })
    )
  })
})

describe("sqlite: the search's choice of form", () => {
  const total = 1_000_000
  const newest = (hits: number, span: number) => ({ total, hits, lowest: total - span + 1 })
  const cases: ReadonlyArray<readonly [string, ReturnType<typeof newest>, boolean, SqliteSearchForm]> = [
    ["fewer matches than the sample: all gathered", newest(120, 900_000), false, "gather"],
    ["in two messages of three: tested row by row", newest(500, 750), false, "walkProbe"],
    ["in two messages of three, with a user: tested row by row", newest(500, 750), true, "walkProbe"],
    ["in one of fifty: the set collected, the rows walked", newest(500, 25_000), false, "walkSet"],
    ["in one of fifty, with a user: SQLite's own choice", newest(500, 25_000), true, "gather"],
    ["in one of a thousand: gathered", newest(500, 500_000), false, "gather"]
  ]
  for (const [name, shape, filtered, form] of cases) {
    it(`${name}: ${form}`, () => {
      expect(chooseForm(shape, 100, filtered)).toBe(form)
    })
  }
})
