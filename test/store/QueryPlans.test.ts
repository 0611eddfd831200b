/**
 * What PostgreSQL does with the Store's listing reads on a realistically sized table: EXPLAIN of the very
 * statements the Store sends (captured on their way to the driver), so a change to a read or to the indexes that
 * loses an index shows up here. Since PostgreSQL migration 8 each read has an index in its own order, so a page is
 * the first rows of an index range, with no sort.
 */
import { describe, expect, layer } from "@effect/vitest"
import { Statement } from "@effect/sql"
import { Effect, Layer } from "effect"
import * as PostgresDatabase from "../../src/runtime/layers/PostgresDatabase.js"
import { PostgresStoreLive } from "../../src/runtime/layers/StoreLayers.js"
import { PostgresStore } from "../../src/runtime/store/Store.js"
import { tempPostgres } from "../support/TestDatabases.js"

/** Many creators with a few documents each, and many profiles: the planner sees a table worth an index. */
const seed = Effect.gen(function* () {
  const { sql } = yield* PostgresDatabase.PostgresDatabase
  yield* sql`INSERT INTO documents (id, title, content, created_by, created_at, updated_at, is_public)
    SELECT 'doc-' || g, 'title ' || g, '', 'creator-' || (g % 1000), 1700000000 + g,
      1700000000 + (g::bigint * 7919) % 100000, TRUE
    FROM generate_series(1, 30000) AS g`
  yield* sql`INSERT INTO user_profiles (id, user_id, username, first_seen_at, last_interaction_at, created_at,
      updated_at, message_count, last_analyzed_at)
    SELECT 'profile-' || g, 'user-' || g, 'name ' || g, 1700000000, 1700000000 + (g::bigint * 7919) % 100000,
      1700000000, 1700000000, g % 50,
      CASE WHEN g % 3 = 0 THEN NULL ELSE 1700000000 + (g::bigint * 104729) % 100000 END
    FROM generate_series(1, 30000) AS g`
  yield* sql`ANALYZE documents`
  yield* sql`ANALYZE user_profiles`
})

const PlansLive = Layer.unwrapScoped(
  Effect.map(tempPostgres(), (options) =>
    PostgresStoreLive.pipe(
      Layer.provideMerge(PostgresDatabase.layer(options)),
      Layer.tap((context) => Effect.provide(seed, context))
    )
  )
)

/** The plan of the one statement `read` sends, with the parameters it bound. */
const planOf = <A, E, R>(read: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const { sql } = yield* PostgresDatabase.PostgresDatabase
    const sent: Array<readonly [string, ReadonlyArray<unknown>]> = []
    yield* read.pipe(
      Statement.withTransformer((statement) => {
        sent.push(statement.compile())
        return Effect.succeed(statement)
      })
    )
    expect(sent).toHaveLength(1)
    const [text, params] = sent[0]!
    const rows = yield* sql.unsafe<{ "QUERY PLAN": string }>(`EXPLAIN ${text}`, params)
    return rows.map((row) => row["QUERY PLAN"]).join("\n")
  })

/** The indexes of `table` whose definition names `column`. */
const indexesOn = (table: string, column: string) =>
  Effect.gen(function* () {
    const { sql } = yield* PostgresDatabase.PostgresDatabase
    const rows = yield* sql<{ indexname: string; indexdef: string }>`SELECT indexname, indexdef FROM pg_indexes
      WHERE schemaname = current_schema() AND tablename = ${table}`
    return rows.filter((row) => new RegExp(`\\(([^)]*[ ,])?"?${column}"?[ ,)]`).test(row.indexdef))
  })

describe("postgres: plans of the Store's listing reads", () => {
  layer(PlansLive, { timeout: 120_000 })((it) => {
    it.effect("documents by creator, listed and counted, use the index on (created_by, updated_at, id)", () =>
      Effect.gen(function* () {
        const store = yield* PostgresStore
        const indexes = yield* indexesOn("documents", "created_by")
        expect(indexes.map((i) => i.indexname)).toEqual(["idx_documents_creator_updated"])

        const listed = yield* store.listDocuments({ createdBy: "creator-7", limit: 50, offset: 0 })
        expect(listed).toHaveLength(30)
        const listPlan = yield* planOf(store.listDocuments({ createdBy: "creator-7", limit: 50, offset: 0 }))
        expect(listPlan).toContain("idx_documents_creator_updated")
        // For a creator's 30 documents the planner may rather sort them than read them in the index's order.
        expect(listPlan).not.toContain("Seq Scan")
        const countPlan = yield* planOf(store.countDocuments({ createdBy: "creator-7" }))
        expect(countPlan).toContain("idx_documents_creator_updated")
        expect(countPlan).not.toContain("Seq Scan")
      })
    )

    it.effect("profiles by last interaction, all of them or those needing analysis, are read in index order", () =>
      Effect.gen(function* () {
        const store = yield* PostgresStore
        const indexes = yield* indexesOn("user_profiles", "last_interaction_at")
        expect(indexes.map((i) => i.indexname).sort()).toEqual([
          "idx_user_profiles_last_interaction",
          "idx_user_profiles_needing_analysis"
        ])
        const reads = [
          [store.allUserProfiles({ limit: 100, offset: 0 }), "idx_user_profiles_last_interaction"],
          [store.usersNeedingAnalysis({ minMessages: 0, limit: 100 }), "idx_user_profiles_needing_analysis"]
        ] as const
        for (const [read, index] of reads) {
          expect(yield* read).toHaveLength(100)
          const plan = yield* planOf(read)
          expect(plan, plan).toContain(`Index Scan using ${index} on user_profiles`)
          expect(plan).not.toContain("Sort")
        }
      })
    )
  })
})
