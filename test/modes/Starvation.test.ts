/**
 * A caller that never yields to the event loop (issue 11, "starvation"): the bot's Promise code awaiting SQLite
 * writes back to back, which complete without ever leaving the microtask queue, so no background fiber runs until
 * it stops. Before, the shadow got nothing until the in-memory queue (10,000) filled and then everything beyond
 * was journaled, its aggregates held back until someone replayed. Now the burst waits in the outbox, on disk, and
 * the shadow catches up the moment the caller yields: nothing journaled, dead or held, nothing to replay.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import * as Modes from "../../src/runtime/config/Mode.js"
import { createDatabase } from "../../src/runtime/facade/createDatabase.js"
import { freshDatabases, modeOver, rowCounts } from "./support/ModeFixtures.js"
import { PostgresStore } from "../../src/runtime/store/Store.js"

describe("a caller that never yields", () => {
  it.scopedLive(
    "10,500 writes back to back: all wait in the outbox, and reach the shadow once the caller yields",
    () =>
      Effect.gen(function* () {
        const dbs = yield* freshDatabases
        const db = createDatabase(modeOver(dbs.layer, Modes.sqliteShadowedToPostgres))
        yield* Effect.addFinalizer(() => Effect.promise(() => db.dispose()))
        const burst = 10_500
        const during = yield* Effect.promise(async () => {
          await db.userProfileService.createUserProfile({ userId: "hot", username: "Hot" })
          for (let i = 0; i < burst; i++) {
            if (i % 2 === 0) await db.messageService.saveAIMessage({ content: `reply ${i}` })
            else await db.userProfileService.incrementMessageCount("hot")
          }
          return db.shadowHealth()
        })
        // Every write is either on the shadow already or in the outbox: none only in memory, none given up.
        expect(during.submitted).toBe(burst + 1)
        expect(during.succeeded + during.outboxDepth).toBe(burst + 1)
        expect(during).toMatchObject({ deadLetters: 0, failed: 0 })

        expect(yield* Effect.promise(() => db.flushShadow(60_000))).toBe(true)
        const after = yield* Effect.promise(() => db.shadowHealth())
        expect(after).toMatchObject({ outboxDepth: 0, deadLetters: 0, heldAggregates: 0, succeeded: burst + 1 })
        const opened = yield* Layer.build(dbs.layer)
        expect(yield* Effect.provide(rowCounts("postgres"), opened)).toEqual(
          yield* Effect.provide(rowCounts("sqlite"), opened)
        )
        const onShadow = yield* Effect.flatMap(Effect.provide(PostgresStore, opened), (pg) => pg.getUserProfile("hot"))
        expect(Option.map(onShadow, (p) => p.message_count)).toEqual(Option.some(burst / 2))
      }),
    120_000
  )
})
