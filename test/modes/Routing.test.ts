/**
 * Each mode sends writes and reads where the guide says. Writes: which database holds the row afterwards.
 * Reads: a row planted in only one database is visible through the services exactly when reads go there.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer, Option } from "effect"
import type { Message } from "../../src/runtime/domain/Message.js"
import type { Mode } from "../../src/runtime/config/Mode.js"
import * as Modes from "../../src/runtime/config/Mode.js"
import * as SqliteDatabase from "../../src/runtime/layers/SqliteDatabase.js"
import { SqliteStoreLive } from "../../src/runtime/layers/StoreLayers.js"
import { ShadowHealth } from "../../src/runtime/modes/ShadowHealth.js"
import { MessageService } from "../../src/runtime/services/MessageService.js"
import { PostgresStore, SqliteStore } from "../../src/runtime/store/Store.js"
import { freshDatabases, modeOver, rowCounts, unique } from "./support/ModeFixtures.js"

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

interface Expectation {
  readonly mode: Mode
  readonly writesTo: { readonly sqlite: boolean; readonly postgres: boolean }
  readonly readsFrom: "sqlite" | "postgres"
}

const cases: ReadonlyArray<[string, Expectation]> = [
  [
    "nothing set: SQLite only",
    { mode: Modes.sqliteOnly, writesTo: { sqlite: true, postgres: false }, readsFrom: "sqlite" }
  ],
  [
    "SHADOW: write SQLite + shadow PostgreSQL, read SQLite",
    { mode: Modes.sqliteShadowedToPostgres, writesTo: { sqlite: true, postgres: true }, readsFrom: "sqlite" }
  ],
  [
    "READ + SHADOW: write SQLite + shadow PostgreSQL, read PostgreSQL",
    { mode: Modes.sqliteShadowedReadPostgres, writesTo: { sqlite: true, postgres: true }, readsFrom: "postgres" }
  ],
  [
    "PRIMARY: PostgreSQL only",
    { mode: Modes.postgresOnly, writesTo: { sqlite: false, postgres: true }, readsFrom: "postgres" }
  ],
  [
    "PRIMARY + SHADOW: write PostgreSQL + shadow SQLite, read PostgreSQL",
    { mode: Modes.postgresShadowedToSqlite, writesTo: { sqlite: true, postgres: true }, readsFrom: "postgres" }
  ]
]

describe("modes route reads and writes", () => {
  for (const [name, expected] of cases) {
    it.scopedLive(
      name,
      () =>
        Effect.gen(function* () {
          const dbs = yield* freshDatabases
          const ctx = yield* Layer.build(modeOver(dbs.layer, expected.mode))
          const messages = yield* Effect.provide(MessageService, ctx)
          const health = yield* Effect.provide(ShadowHealth, ctx)
          const sqlite = yield* Effect.provide(SqliteStore, ctx)
          const postgres = yield* Effect.provide(PostgresStore, ctx)

          // Writes
          const saved = yield* messages.saveHumanMessage({ userId: unique("u"), username: "Ana", content: "hi" })
          expect(yield* health.flush(Duration.seconds(10))).toBe(true)
          const inSqlite = yield* sqlite.getMessageById(saved.id)
          const inPostgres = yield* postgres.getMessageById(saved.id)
          expect(Option.isSome(inSqlite)).toBe(expected.writesTo.sqlite)
          expect(Option.isSome(inPostgres)).toBe(expected.writesTo.postgres)
          // The same row, not a re-derived one, wherever it went.
          for (const found of [inSqlite, inPostgres]) if (Option.isSome(found)) expect(found.value).toEqual(saved)
          const counts = {
            sqlite: yield* Effect.provide(rowCounts("sqlite"), ctx),
            postgres: yield* Effect.provide(rowCounts("postgres"), ctx)
          }
          expect(counts.sqlite["messages"]).toBe(expected.writesTo.sqlite ? 1 : 0)
          expect(counts.postgres["messages"]).toBe(expected.writesTo.postgres ? 1 : 0)

          // Reads: plant one row in each database behind the services' back. On SQLite through a connection of its
          // own, as another process would: this process's connection, when it shadows, records every message it
          // inserts for the shadow (store/InsertCapture).
          const onlySqlite = unique("only-sqlite")
          const onlyPostgres = unique("only-postgres")
          const behind = yield* Layer.build(
            SqliteStoreLive.pipe(
              Layer.provide(SqliteDatabase.layer({ filename: dbs.sqliteFile, busyTimeoutMs: 5000, migrate: false }))
            )
          )
          yield* Effect.flatMap(Effect.provide(SqliteStore, behind), (store) =>
            store.apply({ _tag: "InsertMessage", row: plantedMessage(onlySqlite) })
          )
          yield* postgres.apply({ _tag: "InsertMessage", row: plantedMessage(onlyPostgres) })
          const seesSqlite = Option.isSome(yield* messages.getMessageById(onlySqlite))
          const seesPostgres = Option.isSome(yield* messages.getMessageById(onlyPostgres))
          expect({ seesSqlite, seesPostgres }).toEqual({
            seesSqlite: expected.readsFrom === "sqlite",
            seesPostgres: expected.readsFrom === "postgres"
          })
        }),
      60_000
    )
  }
})
