/**
 * Closing the database lets the shadow catch up; what the drain timeout leaves behind simply waits in the outbox,
 * and the next start applies it with nothing to replay by hand. Either way the shadow ends up with every write.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, Layer, Scope } from "effect"
import * as Modes from "../../src/runtime/config/Mode.js"
import { ShadowHealth } from "../../src/runtime/modes/ShadowHealth.js"
import { MessageService } from "../../src/runtime/services/MessageService.js"
import { UserProfileService } from "../../src/runtime/services/UserProfileService.js"
import {
  dumpTables,
  freshDatabases,
  modeOver,
  postgresWriteControl,
  testShadowOptions
} from "./support/ModeFixtures.js"

const writeMany = (n: number) =>
  Effect.gen(function* () {
    const messages = yield* MessageService
    const profiles = yield* UserProfileService
    yield* profiles.createUserProfile({ userId: "counted", username: "C" })
    for (let i = 0; i < n; i++) {
      yield* messages.saveHumanMessage({ userId: `u${i % 5}`, username: "u", content: `m${i}` })
      yield* profiles.incrementMessageCount("counted")
    }
  })

describe("shutdown", () => {
  it.scopedLive(
    "closing the layer drains pending shadow writes",
    () =>
      Effect.gen(function* () {
        const dbs = yield* freshDatabases
        const scope = yield* Scope.make()
        const ctx = yield* Layer.buildWithScope(modeOver(dbs.layer, Modes.sqliteShadowedToPostgres), scope)
        yield* Effect.flatMap(Effect.provide(postgresWriteControl, ctx), (c) => c.delay(2))
        yield* Effect.provide(writeMany(150), ctx)
        const before = yield* Effect.provide(
          Effect.flatMap(ShadowHealth, (h) => h.snapshot),
          ctx
        )
        expect(before.outboxDepth).toBeGreaterThan(0)
        yield* Scope.close(scope, Exit.void)

        // Reopen both databases: PostgreSQL has everything, nothing was left in the outbox.
        const reopened = yield* Layer.build(modeOver(dbs.layer, Modes.sqliteShadowedToPostgres))
        const health = yield* Effect.provide(ShadowHealth, reopened)
        expect(yield* health.snapshot).toMatchObject({ outboxDepth: 0 })
        const sqlite = yield* Effect.provide(dumpTables("sqlite"), reopened)
        expect(sqlite["messages"]).toHaveLength(150)
        expect(yield* Effect.provide(dumpTables("postgres"), reopened)).toEqual(sqlite)
      }),
    60_000
  )

  it.scopedLive(
    "what the drain timeout leaves waits in the outbox and is applied at the next start",
    () =>
      Effect.gen(function* () {
        const dbs = yield* freshDatabases
        const scope = yield* Scope.make()
        const ctx = yield* Layer.buildWithScope(
          modeOver(dbs.layer, Modes.sqliteShadowedToPostgres, {
            ...testShadowOptions,
            drainTimeout: Duration.millis(100)
          }),
          scope
        )
        const control = yield* Effect.provide(postgresWriteControl, ctx)
        yield* control.delay(30)
        yield* Effect.provide(writeMany(60), ctx)
        yield* Scope.close(scope, Exit.void)

        const reopened = yield* Layer.build(modeOver(dbs.layer, Modes.sqliteShadowedToPostgres))
        const health = yield* Effect.provide(ShadowHealth, reopened)
        const atStart = yield* health.snapshot
        expect(atStart.outboxDepth).toBeGreaterThan(0)
        expect(atStart.inSync).toBe(false)
        yield* Effect.flatMap(Effect.provide(postgresWriteControl, reopened), (c) => c.delay(0))
        expect(yield* health.flush(Duration.seconds(30))).toBe(true)
        const sqlite = yield* Effect.provide(dumpTables("sqlite"), reopened)
        expect(sqlite["messages"]).toHaveLength(60)
        expect(yield* Effect.provide(dumpTables("postgres"), reopened)).toEqual(sqlite)
        expect(yield* health.snapshot).toMatchObject({ outboxDepth: 0, deadLetters: 0, inSync: true })
      }),
    60_000
  )
})
