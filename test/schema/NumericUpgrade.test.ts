/**
 * PostgreSQL migration 4 on a database that already runs migrations 1–3 and holds rows: the INTEGER columns
 * become NUMERIC without changing a value (64-bit extremes included), the time columns stay BIGINT, and from then
 * on the columns keep a fraction the way SQLite does.
 */
import { describe, expect, it } from "@effect/vitest"
import { Migrator, SqlClient } from "@effect/sql"
import { Effect, Record } from "effect"
import { tables } from "../../src/runtime/domain/Tables.js"
import * as PostgresDatabase from "../../src/runtime/layers/PostgresDatabase.js"
import { pgColumnTypes } from "../../src/runtime/schema/CurrentSchema.js"
import { postgresMigrations } from "../../src/runtime/schema/PostgresMigrations.js"
import { migrationsTable, runSchemaMigrations } from "../../src/runtime/schema/runSchemaMigrations.js"
import { tempPostgres } from "../support/TestDatabases.js"

/** The migrations up to `version`, through the Migrator and its table, as the release that shipped it runs them. */
const migrateTo = (version: number) =>
  Migrator.make({})({
    loader: Migrator.fromRecord(
      Record.map(
        Record.filter(postgresMigrations, (_, id) => parseInt(id, 10) <= version),
        (migration) => migration.run
      )
    ),
    table: migrationsTable
  })

/** Every row of every table as PostgreSQL prints it: bigint and numeric print an integer with the same digits. */
const dumpAll = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const out: Record<string, ReadonlyArray<string>> = {}
  for (const table of tables) {
    const rows = yield* sql<{ row: string }>`SELECT row_to_json(t)::text AS row FROM ${sql(table.name)} t ORDER BY id`
    out[table.name] = rows.map((r) => r.row)
  }
  return out
})

const columnTypes = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ table_name: string; column_name: string; data_type: string }>`SELECT table_name,
      column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema()`
  return new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r.data_type]))
})

const integerColumns = (table: (typeof tables)[number]) =>
  Object.entries(table.columns)
    .filter(([, column]) => column.kind === "integer")
    .map(([name]) => name)

const withDatabase = <A, E>(effect: Effect.Effect<A, E, SqlClient.SqlClient>) =>
  Effect.gen(function* () {
    const options = yield* tempPostgres({ migrate: false })
    return yield* Effect.flatMap(PostgresDatabase.PostgresDatabase, ({ sql }) =>
      Effect.provideService(effect, SqlClient.SqlClient, sql)
    ).pipe(Effect.provide(PostgresDatabase.layer(options)))
  })

describe("postgres migration 4 (INTEGER columns as NUMERIC)", () => {
  it.scoped("upgrades a database at migration 3 holding rows without changing a value", () =>
    withDatabase(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        expect((yield* migrateTo(3)).map(([id]) => id)).toEqual([1, 2, 3])
        const before = yield* columnTypes
        expect(before.get("user_profiles.affinity_score")).toBe("bigint")

        // Every INTEGER column of the profile set, with the 64-bit extremes, 2^53 + 1 and a negative score.
        const scores = integerColumns(tables.find((t) => t.name === "user_profiles")!)
        const values = ["9223372036854775807", "-9223372036854775808", "9007199254740993", "-42", "0", "100"]
        const assignments = scores.map((name, i) => `"${name}" = ${values[i % values.length]}`).join(", ")
        yield* sql.unsafe(`INSERT INTO user_profiles (id, user_id, username, first_seen_at, last_interaction_at)
          VALUES ('p1', 'u1', 'alice', 1700000000, 1700000100), ('p2', 'u2', 'bob', 1700000200, 1700000300)`)
        yield* sql.unsafe(`UPDATE user_profiles SET ${assignments} WHERE id = 'p1'`)
        yield* sql.unsafe(`INSERT INTO user_analysis_history (id, user_id, analysis_timestamp, message_count_at_analysis,
          feelings_snapshot) VALUES ('h1', 'u1', 1700000400, 4321, '{"mood": "calm", "n": 12345678901234567890}')`)
        yield* sql.unsafe(`INSERT INTO queries (id, timestamp, user_id, username, query_text, result_count,
          execution_time_ms) VALUES ('q1', 1700000000123, 'u1', 'alice', 'how many', 0, 9007199254740993),
          ('q2', 1700000000124, 'u2', 'bob', 'and now', NULL, 17)`)
        yield* sql.unsafe(`INSERT INTO messages (id, timestamp, sender_type, user_id, username, message_content)
          VALUES ('m1', 1700000000001, 'human', 'u1', 'alice', 'kept words')`)
        yield* sql.unsafe(`INSERT INTO documents (id, title, content, created_by, is_public, metadata)
          VALUES ('d1', 'Plan', 'x', 'u1', FALSE, '{"k": 1}')`)
        yield* sql.unsafe(`INSERT INTO document_collaborators (id, document_id, user_id, role)
          VALUES ('c1', 'd1', 'u1', 'owner')`)
        const rows = yield* dumpAll
        const exact = yield* sql<{
          a: string
          b: string
          c: string
        }>`SELECT affinity_score::text AS a, message_count::text AS b,
            (SELECT execution_time_ms::text FROM queries WHERE id = 'q1') AS c FROM user_profiles WHERE id = 'p1'`

        // Migration 4 alone, as a release that ships it upgrades the database (later ones are not its concern).
        expect(yield* migrateTo(4)).toEqual([[4, "integer_columns_numeric"]])

        expect(yield* dumpAll).toEqual(rows)
        expect(
          yield* sql`SELECT affinity_score::text AS a, message_count::text AS b,
            (SELECT execution_time_ms::text FROM queries WHERE id = 'q1') AS c FROM user_profiles WHERE id = 'p1'`
        ).toEqual(exact)
        expect(Object.values(rows).flat()).toHaveLength(8)

        // The INTEGER kind is NUMERIC now; every other column kept its type.
        const after = yield* columnTypes
        for (const table of tables) {
          for (const [name, column] of Object.entries(table.columns)) {
            const key = `${table.name}.${name}`
            expect(after.get(key), key).toBe(column.kind === "integer" ? "numeric" : before.get(key))
          }
        }
        // The default survives the type change: a new profile still starts with 0 messages.
        yield* sql.unsafe(`INSERT INTO user_profiles (id, user_id, username, first_seen_at, last_interaction_at)
          VALUES ('p3', 'u3', 'carol', 1700000500, 1700000500)`)
        const fresh = yield* sql<{ message_count: number }>`SELECT message_count FROM user_profiles WHERE id = 'p3'`
        expect(fresh).toEqual([{ message_count: 0 }])

        // What BIGINT refused, NUMERIC keeps, and it reads back as the same JS number.
        yield* sql`UPDATE user_profiles SET affinity_score = ${72.5}, trust_level = ${24.5} WHERE id = 'p2'`
        const read = yield* sql<{ affinity_score: unknown; trust_level: unknown }>`SELECT affinity_score,
          trust_level FROM user_profiles WHERE id = 'p2'`
        expect(read).toEqual([{ affinity_score: 72.5, trust_level: 24.5 }])
        // The time columns kept BIGINT, which still refuses a fraction.
        const refused = yield* Effect.flip(
          sql`UPDATE user_profiles SET last_analyzed_at = ${1700000000.5} WHERE id = 'p2'`
        )
        expect(refused._tag).toBe("SqlError")
      })
    )
  )

  it.scoped("gives a fresh database the column types CurrentSchema expects, for every registry column", () =>
    withDatabase(
      Effect.gen(function* () {
        yield* runSchemaMigrations("postgres")
        const types = yield* columnTypes
        const integer = tables.flatMap((t) => integerColumns(t).map((c) => `${t.name}.${c}`))
        expect(integer).toHaveLength(23)
        for (const table of tables) {
          for (const [name, column] of Object.entries(table.columns)) {
            expect(types.get(`${table.name}.${name}`), `${table.name}.${name}`).toBe(pgColumnTypes[column.kind])
          }
        }
      })
    )
  )
})
