/**
 * The shadow never runs inside the caller's transaction. @effect/sql v3 keeps an open transaction under one
 * context key shared by both clients, so shadow work that saw the caller's context would send its queries down
 * the primary's transaction connection: the row would miss the shadow, and the foreign SQL would abort the
 * primary's transaction. Each case runs services inside the primary's own `withTransaction` and looks into both
 * databases afterwards.
 */
import type { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer, Option } from "effect"
import * as Modes from "../../src/runtime/config/Mode.js"
import type { Message } from "../../src/runtime/domain/Message.js"
import { modeLayer } from "../../src/runtime/modes/DatabaseLayer.js"
import { ShadowHealth } from "../../src/runtime/modes/ShadowHealth.js"
import * as ShadowJournal from "../../src/runtime/modes/ShadowJournal.js"
import { MessageService } from "../../src/runtime/services/MessageService.js"
import { PostgresStore, SqliteStore } from "../../src/runtime/store/Store.js"
import { freshDatabases, modeOver, rawSql, testShadowOptions, unique } from "./support/ModeFixtures.js"

const plantedMessage = (id: string): Message => ({
  id,
  timestamp: 1_700_000_000_000,
  sender_type: "human",
  user_id: "planted",
  username: "planted",
  channel_id: null,
  channel_name: null,
  guild_id: null,
  message_content: `planted ${id}`,
  tool_name: null,
  tool_args: null,
  tool_result: null,
  session_id: null,
  parent_message_id: null,
  metadata: null,
  ai_summary: null,
  sentiment_analysis: null,
  response_decision: null,
  interaction_type: null,
  user_intent: null,
  bot_perception: null,
  conversation_quality: null,
  created_at: 1_700_000_000
})

/** Where a message is, read through each database's own store outside any transaction. */
const presence = (id: string) =>
  Effect.gen(function* () {
    const sqlite = yield* SqliteStore
    const postgres = yield* PostgresStore
    return {
      sqlite: Option.isSome(yield* sqlite.getMessageById(id)),
      postgres: Option.isSome(yield* postgres.getMessageById(id))
    }
  })

const save = (content: string) =>
  Effect.flatMap(MessageService, (messages) =>
    messages.saveHumanMessage({ userId: unique("u"), username: "u", content })
  )

const flushed = Effect.flatMap(ShadowHealth, (health) => health.flush(Duration.seconds(20)))

const inTransactionOf =
  (sql: SqlClient.SqlClient) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    sql.withTransaction(effect)

describe("the shadow stays out of the primary's transaction", () => {
  it.scopedLive("PostgreSQL primary: a write inside pg.withTransaction reaches the SQLite shadow", () =>
    Effect.gen(function* () {
      const dbs = yield* freshDatabases
      const ctx = yield* Layer.build(modeOver(dbs.layer, Modes.postgresShadowedToSqlite))
      const inPg = inTransactionOf(yield* Effect.provide(rawSql("postgres"), ctx))
      const saved = yield* save("in a pg transaction").pipe(Effect.zipLeft(flushed), inPg, Effect.provide(ctx))
      expect(yield* Effect.provide(presence(saved.id), ctx)).toEqual({ sqlite: true, postgres: true })
      expect(yield* Effect.flatMap(Effect.provide(ShadowHealth, ctx), (h) => h.snapshot)).toMatchObject({
        succeeded: 1,
        journaled: 0
      })
    })
  )

  it.scopedLive("PostgreSQL primary: services provided inside pg.withTransaction still write to SQLite", () =>
    Effect.gen(function* () {
      const dbs = yield* freshDatabases
      const opened = yield* Layer.build(dbs.layer)
      const inPg = inTransactionOf(yield* Effect.provide(rawSql("postgres"), opened))
      // The shadow writer is built, and its lanes forked, while the transaction is open.
      const saved = yield* save("services built in a pg transaction").pipe(
        Effect.zipLeft(flushed),
        Effect.provide(modeLayer(Modes.postgresShadowedToSqlite, testShadowOptions)),
        inPg,
        Effect.provide(opened)
      )
      expect(yield* Effect.provide(presence(saved.id), opened)).toEqual({ sqlite: true, postgres: true })
    })
  )

  it.scopedLive("SQLite primary: services provided inside sqlite.withTransaction still write to PostgreSQL", () =>
    Effect.gen(function* () {
      const dbs = yield* freshDatabases
      const opened = yield* Layer.build(dbs.layer)
      const inSqlite = inTransactionOf(yield* Effect.provide(rawSql("sqlite"), opened))
      const saved = yield* save("services built in a sqlite transaction").pipe(
        Effect.zipLeft(flushed),
        Effect.provide(modeLayer(Modes.sqliteShadowedToPostgres, testShadowOptions)),
        inSqlite,
        Effect.provide(opened)
      )
      expect(yield* Effect.provide(presence(saved.id), opened)).toEqual({ sqlite: true, postgres: true })
    })
  )

  it.scopedLive(
    "SQLite primary, PostgreSQL reads: inside sqlite.withTransaction, the shadow answers from PostgreSQL",
    () =>
      Effect.gen(function* () {
        const dbs = yield* freshDatabases
        const ctx = yield* Layer.build(modeOver(dbs.layer, Modes.sqliteShadowedReadPostgres))
        const inSqlite = inTransactionOf(yield* Effect.provide(rawSql("sqlite"), ctx))
        // In PostgreSQL only: found exactly when the read really goes to PostgreSQL.
        const planted = plantedMessage(unique("pg-only"))
        yield* Effect.flatMap(Effect.provide(PostgresStore, ctx), (pg) =>
          pg.apply({ _tag: "InsertMessage", row: planted })
        )

        const [found, saved, ownRead] = yield* Effect.gen(function* () {
          const messages = yield* MessageService
          const found = yield* messages.getMessageById(planted.id)
          const saved = yield* save("in a sqlite transaction")
          return [found, saved, yield* messages.getMessageById(saved.id)] as const
        }).pipe(inSqlite, Effect.provide(ctx))

        expect(found).toEqual(Option.some(planted))
        expect(ownRead).toEqual(Option.some(saved))
        const snapshot = yield* Effect.flatMap(Effect.provide(ShadowHealth, ctx), (h) => h.snapshot)
        // Every read went to PostgreSQL (saving a message may read too), none fell back to SQLite.
        expect(snapshot).toMatchObject({ readsFromPrimary: 0, succeeded: 1, journaled: 0 })
        expect(snapshot.readsFromShadow).toBeGreaterThanOrEqual(2)
        expect(yield* Effect.provide(presence(saved.id), ctx)).toEqual({ sqlite: true, postgres: true })
      })
  )

  it.scopedLive("PostgreSQL primary: a replay run inside pg.withTransaction applies to SQLite", () =>
    Effect.gen(function* () {
      const dbs = yield* freshDatabases
      const ctx = yield* Layer.build(modeOver(dbs.layer, Modes.postgresShadowedToSqlite))
      const pgSql = yield* Effect.provide(rawSql("postgres"), ctx)
      const missed = plantedMessage(unique("journaled"))
      yield* Effect.flatMap(Effect.provide(PostgresStore, ctx), (pg) =>
        pg.apply({ _tag: "InsertMessage", row: missed })
      )
      yield* ShadowJournal.make(pgSql, "postgres").record([
        { target: "sqlite", op: { _tag: "InsertMessage", row: missed }, error: "test", attempts: 0, issuedAtMicros: 1 }
      ])

      const result = yield* Effect.flatMap(ShadowHealth, (h) => h.replay).pipe(
        inTransactionOf(pgSql),
        Effect.provide(ctx)
      )
      expect(result).toMatchObject({ applied: 1, kept: 0, remaining: 0, failures: [] })
      expect(yield* Effect.provide(presence(missed.id), ctx)).toEqual({ sqlite: true, postgres: true })
    })
  )
})
