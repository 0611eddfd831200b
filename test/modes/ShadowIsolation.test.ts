/**
 * The shadow never runs inside the caller's transaction. @effect/sql v3 keeps an open transaction under one
 * context key shared by both clients, so shadow work that saw the caller's context would send its queries down
 * the primary's transaction connection: the row would miss the shadow, and the foreign SQL would abort the
 * primary's transaction. Each case runs services inside the primary's own `withTransaction` and looks into both
 * databases afterwards. A write made inside a transaction reaches the shadow once that transaction commits (its
 * outbox entry commits with it), and not before: a rolled-back write never reaches it.
 */
import type { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer, Option } from "effect"
import * as Modes from "../../src/runtime/config/Mode.js"
import type { Message } from "../../src/runtime/domain/Message.js"
import { modeLayer } from "../../src/runtime/modes/DatabaseLayer.js"
import { ShadowHealth } from "../../src/runtime/modes/ShadowHealth.js"
import { MessageService } from "../../src/runtime/services/MessageService.js"
import { PostgresStore, SqliteStore } from "../../src/runtime/store/Store.js"
import { eventually } from "./support/Eventually.js"
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

/** A layer closed inside the caller's transaction cannot drain what that transaction has not committed yet. */
const quickDrain = { ...testShadowOptions, drainTimeout: Duration.millis(300) }

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
      const saved = yield* save("in a pg transaction").pipe(inPg, Effect.provide(ctx))
      expect(yield* Effect.provide(flushed, ctx)).toBe(true)
      expect(yield* Effect.provide(presence(saved.id), ctx)).toEqual({ sqlite: true, postgres: true })
      // Rolled back: neither the write nor its outbox entry exists, so the shadow never sees it.
      const rolledBack = yield* save("rolled back").pipe(
        Effect.zipLeft(Effect.fail("abort" as const)),
        inPg,
        Effect.flip,
        Effect.provide(ctx)
      )
      expect(rolledBack).toBe("abort")
      expect(yield* Effect.provide(flushed, ctx)).toBe(true)
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
        Effect.provide(modeLayer(Modes.postgresShadowedToSqlite, quickDrain)),
        inPg,
        Effect.provide(opened)
      )
      // Committed after that layer closed: the next start applies it.
      yield* flushed.pipe(
        Effect.provide(modeLayer(Modes.postgresShadowedToSqlite, testShadowOptions)),
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
        Effect.provide(modeLayer(Modes.sqliteShadowedToPostgres, quickDrain)),
        inSqlite,
        Effect.provide(opened)
      )
      yield* flushed.pipe(
        Effect.provide(modeLayer(Modes.sqliteShadowedToPostgres, testShadowOptions)),
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
        const ctx = yield* Layer.build(
          modeOver(dbs.layer, Modes.sqliteShadowedReadPostgres, {
            ...testShadowOptions,
            readWait: Duration.millis(100)
          })
        )
        const inSqlite = inTransactionOf(yield* Effect.provide(rawSql("sqlite"), ctx))
        // In PostgreSQL only: found exactly when the read really goes to PostgreSQL.
        const planted = plantedMessage(unique("pg-only"))
        yield* Effect.flatMap(Effect.provide(PostgresStore, ctx), (pg) =>
          pg.apply({ _tag: "InsertMessage", row: planted })
        )
        // Reads use the shadow once this process applies to it and it holds everything.
        const health = yield* Effect.provide(ShadowHealth, ctx)
        expect((yield* eventually(health.snapshot, (s) => s.inSync)).inSync).toBe(true)

        const [found, saved, ownRead] = yield* Effect.gen(function* () {
          const messages = yield* MessageService
          const found = yield* messages.getMessageById(planted.id)
          const saved = yield* save("in a sqlite transaction")
          // Not committed yet, so not on the shadow: the primary answers, inside the caller's transaction.
          return [found, saved, yield* messages.getMessageById(saved.id)] as const
        }).pipe(inSqlite, Effect.provide(ctx))

        expect(found).toEqual(Option.some(planted))
        expect(ownRead).toEqual(Option.some(saved))
        const snapshot = yield* Effect.flatMap(Effect.provide(ShadowHealth, ctx), (h) => h.snapshot)
        expect(snapshot.readsFromShadow).toBeGreaterThanOrEqual(1)
        expect(snapshot.readsFromPrimary).toBeGreaterThanOrEqual(1)
        expect(yield* Effect.provide(flushed, ctx)).toBe(true)
        expect(yield* Effect.provide(presence(saved.id), ctx)).toEqual({ sqlite: true, postgres: true })
      })
  )

  it.scopedLive("PostgreSQL primary: a dead-letter replay run inside pg.withTransaction applies to SQLite", () =>
    Effect.gen(function* () {
      const dbs = yield* freshDatabases
      const ctx = yield* Layer.build(modeOver(dbs.layer, Modes.postgresShadowedToSqlite))
      const pgSql = yield* Effect.provide(rawSql("postgres"), ctx)
      const postgres = yield* Effect.provide(PostgresStore, ctx)
      const sqlite = yield* Effect.provide(SqliteStore, ctx)
      expect(yield* Effect.provide(flushed, ctx)).toBe(true)
      // A write the shadow refused once, its cause since fixed: it waits as a dead letter in SQLite.
      const missed = plantedMessage(unique("dead"))
      const op = { _tag: "InsertMessage" as const, row: missed }
      yield* postgres.apply(op)
      yield* sqlite.replica.recordDeadLetters([
        {
          origin: yield* postgres.outbox.origin,
          seq: 1,
          aggregateKey: `message:${missed.id}`,
          operation: "InsertMessage",
          payload: JSON.stringify(op),
          error: "test",
          recordedAt: 1,
          deadAt: 1
        }
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
