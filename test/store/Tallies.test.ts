/**
 * The counts the tally triggers keep (PostgreSQL migration 10, SQLite migration 7) equal the counts of the rows,
 * on both backends, through every way rows change: the services' writes, multi-row inserts, updates that move a
 * row to another user or channel, deletes, TRUNCATE, and a migration over rows that were there before it.
 * A filter with a time range (`startTime: 0`, true of every row) takes the counting path, so each count is
 * checked against the rows themselves.
 */
import { describe, expect, it } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { Effect, Layer } from "effect"
import type { Backend } from "../../src/runtime/domain/Errors.js"
import * as PostgresDatabase from "../../src/runtime/layers/PostgresDatabase.js"
import * as SqliteDatabase from "../../src/runtime/layers/SqliteDatabase.js"
import * as Modes from "../../src/runtime/config/Mode.js"
import { MessageService } from "../../src/runtime/services/MessageService.js"
import { runSchemaMigrations } from "../../src/runtime/schema/runSchemaMigrations.js"
import { QueryService } from "../../src/runtime/services/QueryService.js"
import { freshDatabases, modeOver } from "../modes/support/ModeFixtures.js"

const users = ["u1", "u2", "u3"]
const channels = ["c1", "c2"]

/** Every tallied count beside the same count taken from the rows. */
const countsBoth = (sql: SqlClient.SqlClient) =>
  Effect.gen(function* () {
    const messages = yield* MessageService
    const queries = yield* QueryService
    const pairs: Record<string, [number, number]> = {}
    for (const userId of users) {
      pairs[`user ${userId}`] = [
        yield* messages.getMessageCount({ userId }),
        yield* messages.getMessageCount({ userId, startTime: 0 })
      ]
      for (const senderType of ["human", "ai", "tool"] as const) {
        pairs[`user ${userId} ${senderType}`] = [
          yield* messages.getMessageCount({ userId, senderType }),
          yield* messages.getMessageCount({ userId, senderType, startTime: 0 })
        ]
      }
      // getQueryCount has no time range: the rows are counted directly.
      pairs[`queries ${userId}`] = [
        yield* queries.getQueryCount({ userId }),
        yield* rowCount(sql, `SELECT COUNT(*) AS n FROM queries WHERE user_id = '${userId}'`)
      ]
    }
    for (const channelId of channels) {
      pairs[`channel ${channelId}`] = [
        yield* messages.getMessageCount({ channelId }),
        yield* messages.getMessageCount({ channelId, startTime: 0 })
      ]
    }
    return pairs
  })

const rowCount = (sql: SqlClient.SqlClient, statement: string) =>
  Effect.map(sql.unsafe<{ n: number | string }>(statement), (rows) => Number(rows[0]?.n ?? 0))

const expectTalliesRight = (sql: SqlClient.SqlClient) =>
  Effect.gen(function* () {
    const pairs = yield* countsBoth(sql)
    for (const [what, [tallied, counted]] of Object.entries(pairs))
      expect({ what, tallied }).toEqual({ what, tallied: counted })
    return pairs
  })

const writes = Effect.gen(function* () {
  const messages = yield* MessageService
  const queries = yield* QueryService
  for (let i = 0; i < 12; i++) {
    const userId = users[i % users.length]!
    const channelId = channels[i % channels.length]!
    yield* messages.saveHumanMessage({ userId, username: userId, channelId, content: `hello ${i}` })
    if (i % 2 === 0) yield* messages.saveAIMessage({ userId, channelId, content: `reply ${i}` })
    if (i % 3 === 0) yield* messages.saveToolExecution({ toolName: "search", userId, toolArgs: { i } })
    if (i % 4 === 0) yield* queries.saveQuery({ userId, username: userId, queryText: `q ${i}` })
  }
})

const backendLayer = (backend: Backend) =>
  Layer.unwrapScoped(
    Effect.map(freshDatabases, (dbs) =>
      modeOver(dbs.layer, backend === "sqlite" ? Modes.sqliteOnly : Modes.postgresOnly)
    )
  )

const sqlOf = (
  backend: Backend
): Effect.Effect<SqlClient.SqlClient, never, SqliteDatabase.SqliteDatabase | PostgresDatabase.PostgresDatabase> =>
  backend === "sqlite"
    ? Effect.map(SqliteDatabase.SqliteDatabase, (db) => db.sql)
    : Effect.map(PostgresDatabase.PostgresDatabase, (db) => db.sql)

describe("row tallies", () => {
  for (const backend of ["sqlite", "postgres"] as const) {
    it.scoped(`${backend}: every tallied count equals the rows' count through inserts, updates and deletes`, () =>
      Effect.gen(function* () {
        const sql = yield* sqlOf(backend)
        yield* writes
        const afterWrites = yield* expectTalliesRight(sql)
        expect(afterWrites["user u1"]![0]).toBeGreaterThan(0)
        expect(afterWrites["channel c1"]![0]).toBeGreaterThan(0)
        // Read from the tally itself, not counted.
        expect(
          yield* rowCount(sql, "SELECT n FROM row_tallies WHERE dimension = 'messages.user_id.ai' AND key = 'u1'")
        ).toBe(afterWrites["user u1 ai"]![0])

        // Moved to another user and channel, turned into another sender type, deleted.
        yield* sql.unsafe(
          "UPDATE messages SET user_id = 'u3', channel_id = 'c2' WHERE user_id = 'u1' AND sender_type = 'ai'"
        )
        yield* sql.unsafe("UPDATE messages SET sender_type = 'ai' WHERE user_id = 'u2' AND sender_type = 'human'")
        yield* sql.unsafe("UPDATE messages SET channel_id = NULL WHERE channel_id = 'c1' AND sender_type = 'tool'")
        yield* sql.unsafe("DELETE FROM messages WHERE user_id = 'u3' AND sender_type = 'human'")
        yield* sql.unsafe("UPDATE queries SET user_id = 'u1' WHERE user_id = 'u2'")
        yield* sql.unsafe("DELETE FROM queries WHERE user_id = 'u3'")
        // An upsert that rewrites every column of existing rows (what a replica write does) changes no count.
        yield* sql.unsafe(
          "INSERT INTO messages (id, timestamp, sender_type, user_id, channel_id, message_content, created_at) " +
            "SELECT id, timestamp, sender_type, user_id, channel_id, message_content, created_at FROM messages WHERE true " +
            "ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, channel_id = excluded.channel_id"
        )
        yield* expectTalliesRight(sql)

        // Emptied: TRUNCATE on PostgreSQL (no row trigger runs), DELETE on SQLite.
        yield* sql.unsafe(backend === "postgres" ? "TRUNCATE messages, queries" : "DELETE FROM messages")
        if (backend === "sqlite") yield* sql.unsafe("DELETE FROM queries")
        const emptied = yield* expectTalliesRight(sql)
        expect(Object.values(emptied).every(([tallied]) => tallied === 0)).toBe(true)
      }).pipe(Effect.provide(backendLayer(backend)))
    )

    it.scoped(`${backend}: the migration tallies the rows already there`, () =>
      Effect.gen(function* () {
        const sql = yield* sqlOf(backend)
        yield* writes
        // As before migration 10 (7 on SQLite): no tallies, no triggers; then the migration runs again.
        const migration = backend === "postgres" ? 10 : 7
        for (const table of ["messages", "queries"]) {
          for (const event of backend === "postgres"
            ? ["insert", "delete", "update", "truncate"]
            : ["insert", "delete", "update"]) {
            yield* sql.unsafe(`DROP TRIGGER ${table}_tally_${event}${backend === "postgres" ? ` ON ${table}` : ""}`)
          }
        }
        yield* sql.unsafe("DROP TABLE row_tallies")
        yield* sql.unsafe(`DELETE FROM effect_sql_migrations WHERE migration_id = ${migration}`)
        // Rows written while no tally was kept.
        yield* writes
        yield* remigrate(backend)
        yield* expectTalliesRight(sql)
      }).pipe(Effect.provide(backendLayer(backend)))
    )
  }
})

/** Runs the pending migrations over the same database again, as the next start of the bot would. */
const remigrate = (backend: Backend) =>
  Effect.flatMap(sqlOf(backend), (sql) => Effect.provideService(runSchemaMigrations(backend), SqlClient.SqlClient, sql))
