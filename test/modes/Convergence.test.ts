/**
 * A write is decided once: after a mixed, concurrent workload both databases hold identical rows (same ids,
 * timestamps, analysis, counts), in either shadow direction, and the analyzer ran once per message.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, Layer, Scope } from "effect"
import * as Modes from "../../src/runtime/config/Mode.js"
import { ShadowHealth } from "../../src/runtime/modes/ShadowHealth.js"
import { MessageAnalyzer } from "../../src/runtime/services/MessageAnalyzer.js"
import { MessageService } from "../../src/runtime/services/MessageService.js"
import { QueryService } from "../../src/runtime/services/QueryService.js"
import { dumpTables, freshDatabases, mixedWorkload, modeOver, rowCounts } from "./support/ModeFixtures.js"

describe("shadow modes converge", () => {
  for (const mode of [
    Modes.sqliteShadowedToPostgres,
    Modes.sqliteShadowedReadPostgres,
    Modes.postgresShadowedToSqlite
  ]) {
    it.scopedLive(
      `after a mixed workload both databases hold identical rows (${Modes.describeMode(mode)})`,
      () =>
        Effect.gen(function* () {
          const dbs = yield* freshDatabases
          const ctx = yield* Layer.build(modeOver(dbs.layer, mode))
          yield* Effect.provide(mixedWorkload(6, 8), ctx)
          const health = yield* Effect.provide(ShadowHealth, ctx)
          expect(yield* health.flush(Duration.seconds(30))).toBe(true)

          const sqlite = yield* Effect.provide(dumpTables("sqlite"), ctx)
          const postgres = yield* Effect.provide(dumpTables("postgres"), ctx)
          expect(sqlite).toEqual(postgres)
          // Not vacuously equal: every table has rows, deletes and removals happened.
          const counts = yield* Effect.provide(rowCounts("sqlite"), ctx)
          expect(counts).toEqual({
            messages: 6 * 8 * 3,
            queries: 6 * 8,
            documents: 6,
            document_collaborators: 6 * 3, // owner + two friends (friend-0 removed and re-added)
            user_profiles: 6,
            user_analysis_history: 6 * 2
          })

          const snapshot = yield* health.snapshot
          expect(snapshot).toMatchObject({ failed: 0, deadLetters: 0, outboxDepth: 0, inSync: true })
          expect(snapshot.succeeded).toBe(snapshot.submitted)
        }),
      120_000
    )
  }

  it.scopedLive(
    "PRIMARY + SHADOW keeps SQLite complete: rolling back to SQLite only loses nothing, search included",
    () =>
      Effect.gen(function* () {
        const dbs = yield* freshDatabases
        const scope = yield* Scope.make()
        const ctx = yield* Layer.buildWithScope(modeOver(dbs.layer, Modes.postgresShadowedToSqlite), scope)
        yield* Effect.provide(mixedWorkload(3, 4), ctx)
        const messages = yield* Effect.provide(MessageService, ctx)
        const saved = yield* messages.saveHumanMessage({ userId: "rb", username: "R", content: "rollback needle" })
        const before = yield* Effect.provide(dumpTables("postgres"), ctx)
        yield* Scope.close(scope, Exit.void)

        // The rollback: every flag removed, SQLite alone again.
        const rolledBack = yield* Layer.build(modeOver(dbs.layer, Modes.sqliteOnly))
        expect(yield* Effect.provide(dumpTables("sqlite"), rolledBack)).toEqual(before)
        const sqliteMessages = yield* Effect.provide(MessageService, rolledBack)
        expect(yield* sqliteMessages.queryMessages({ searchText: "needle" })).toEqual([saved])
      }),
    60_000
  )

  it.scopedLive("the analyzer runs once per write and both databases store its single answer", () =>
    Effect.gen(function* () {
      let calls = 0
      const analyzer = Layer.succeed(MessageAnalyzer, {
        analyzeMessage: (content) =>
          Effect.sync(() => {
            calls++
            // Different on every call: a second call for the shadow would show up as a difference.
            return {
              summary: `summary #${calls} of ${content}`,
              sentimentAnalysis: { sentiment: "positive", score: Math.random() },
              interactionMetrics: { interactionType: "statement", userIntent: `intent #${calls}` }
            }
          }),
        analyzeQuery: () => Effect.succeed(undefined)
      })
      const dbs = yield* freshDatabases
      const ctx = yield* Layer.build(modeOver(dbs.layer, Modes.sqliteShadowedToPostgres).pipe(Layer.provide(analyzer)))
      const messages = yield* Effect.provide(MessageService, ctx)
      for (let i = 0; i < 20; i++) yield* messages.saveHumanMessage({ userId: "u", username: "u", content: `m${i}` })
      expect(
        yield* Effect.provide(
          Effect.flatMap(ShadowHealth, (h) => h.flush(Duration.seconds(10))),
          ctx
        )
      ).toBe(true)
      expect(calls).toBe(20)
      const sqlite = yield* Effect.provide(dumpTables("sqlite"), ctx)
      const postgres = yield* Effect.provide(dumpTables("postgres"), ctx)
      expect(sqlite["messages"]).toHaveLength(20)
      expect(sqlite).toEqual(postgres)
    })
  )

  it.scopedLive("batched inserts carry awkward values unchanged: quotes, braces, backslashes, unicode, fractions", () =>
    Effect.gen(function* () {
      const dbs = yield* freshDatabases
      const ctx = yield* Layer.build(modeOver(dbs.layer, Modes.sqliteShadowedToPostgres))
      const messages = yield* Effect.provide(MessageService, ctx)
      const queries = yield* Effect.provide(QueryService, ctx)
      const awkward = ['say "hi", {ok}', 'back\\slash \\" end', "naïve café 日本 🚀", "line\nbreak\ttab", "NULL", ""]
      for (const [i, text] of awkward.entries()) {
        yield* messages.saveHumanMessage({
          userId: `u${i}`,
          username: text === "" ? "empty" : text,
          content: text === "" ? "blank" : text,
          metadata: { text, list: [text, null, 1.5, { nested: text }], n: -0.25 }
        })
        yield* messages.saveToolExecution({ toolName: "t", toolArgs: [text, { "k,}": text }], toolResult: text })
        yield* queries.saveQuery({
          userId: `u${i}`,
          username: text,
          queryText: text === "" ? "q" : text,
          queryResult: JSON.stringify([{ value: text }]),
          executionTimeMs: 12,
          resultCount: i
        })
      }
      const health = yield* Effect.provide(ShadowHealth, ctx)
      expect(yield* health.flush(Duration.seconds(30))).toBe(true)
      const sqlite = yield* Effect.provide(dumpTables("sqlite"), ctx)
      expect(sqlite["messages"]).toHaveLength(awkward.length * 2)
      expect(sqlite["queries"]).toHaveLength(awkward.length)
      expect(yield* Effect.provide(dumpTables("postgres"), ctx)).toEqual(sqlite)
    })
  )
})
