/**
 * The shadow's health is visible while it runs (issue 11, deliverable 7): the snapshot's counts, lag as outbox
 * depth and the age of the oldest pending write, the Effect Metrics, and the periodic structured log line, which
 * keeps its interval while the applier works through a backlog (before, a replay ran inside the health tick).
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer, Logger, Metric } from "effect"
import * as Modes from "../../src/runtime/config/Mode.js"
import { ShadowHealth } from "../../src/runtime/modes/ShadowHealth.js"
import * as M from "../../src/runtime/modes/ShadowMetrics.js"
import { MessageService } from "../../src/runtime/services/MessageService.js"
import { UserProfileService } from "../../src/runtime/services/UserProfileService.js"
import { eventually } from "./support/Eventually.js"
import {
  cutPostgres,
  freshDatabases,
  modeOver,
  rawSql,
  restorePostgres,
  terminateConnections,
  testShadowOptions
} from "./support/ModeFixtures.js"

const counter = (metric: Metric.Metric.Counter<number>) => Effect.map(Metric.value(metric), (s) => s.count)

interface Line {
  readonly at: number
  readonly message: string
  readonly level: string
  readonly annotations: Record<string, unknown>
}

const capturing = (lines: Array<Line>) =>
  Logger.replace(
    Logger.defaultLogger,
    Logger.make((o) => {
      const annotations: Record<string, unknown> = {}
      for (const [k, v] of o.annotations) annotations[k] = v
      lines.push({ at: Date.now(), message: String(o.message), annotations, level: o.logLevel.label })
    })
  )

describe("shadow health", () => {
  it.scopedLive(
    "lag as outbox depth and oldest pending age, metrics, and a health line that keeps its interval in catch-up",
    () =>
      Effect.gen(function* () {
        const lines: Array<Line> = []
        const succeededBefore = yield* counter(M.withBackend(M.shadowSucceeded, "postgres"))
        const latencyBefore = (yield* Metric.value(M.shadowLatency("postgres"))).count
        const interval = Duration.millis(100)
        const dbs = yield* freshDatabases
        const ctx = yield* Layer.build(
          modeOver(dbs.layer, Modes.sqliteShadowedToPostgres, {
            ...testShadowOptions,
            batchSize: 100,
            healthInterval: interval
          })
        ).pipe(Effect.provide(capturing(lines)))
        const messages = yield* Effect.provide(MessageService, ctx)
        const profiles = yield* Effect.provide(UserProfileService, ctx)
        const health = yield* Effect.provide(ShadowHealth, ctx)
        yield* profiles.createUserProfile({ userId: "hot", username: "Hot" })
        expect(yield* health.flush(Duration.seconds(10))).toBe(true)

        // A backlog: PostgreSQL away while the bot writes.
        yield* cutPostgres(dbs.pgName)
        const backlog = 2500
        yield* Effect.forEach(
          Array.from({ length: backlog }, (_, i) => i),
          (i) =>
            Effect.zipRight(
              messages.saveHumanMessage({ userId: `u${i % 3}`, username: "u", content: `m${i}` }),
              profiles.incrementMessageCount("hot")
            ),
          { discard: true }
        )
        const behind = yield* health.snapshot
        expect(behind).toMatchObject({ outboxDepth: 2 * backlog, inSync: false })
        expect(behind.oldestPendingAgeMs).toBeGreaterThan(0)
        // Once the applier has tried and failed, the line turns into a warning.
        const behindLine = yield* eventually(
          Effect.sync(() => lines.filter((l) => l.message === "shadow health").at(-1)),
          (l) => l?.annotations["outboxDepth"] === 2 * backlog && l.annotations["applier"] === "retrying"
        )
        expect(behindLine?.level).toBe("WARN")
        expect(Number(behindLine?.annotations["oldestPendingAgeMs"])).toBeGreaterThan(0)

        // Catch-up, slowed down a little so that it spans several intervals.
        yield* restorePostgres(dbs.pgName)
        yield* terminateConnections(dbs.pgName)
        yield* Effect.flatMap(Effect.provide(rawSql("postgres"), ctx), (pg) =>
          pg
            .unsafe(
              `CREATE OR REPLACE FUNCTION omega_test_slow() RETURNS trigger AS $$
            BEGIN PERFORM pg_sleep(0.0003); RETURN NEW; END $$ LANGUAGE plpgsql`
            )
            .pipe(
              Effect.zipRight(
                pg.unsafe(`CREATE TRIGGER omega_test_slow BEFORE INSERT OR UPDATE ON messages
                FOR EACH ROW EXECUTE FUNCTION omega_test_slow()`)
              )
            )
        ).pipe(Effect.retry({ times: 20 }), Effect.orDie)
        const started = Date.now()
        expect(yield* health.flush(Duration.seconds(60))).toBe(true)
        const ended = Date.now()
        const during = lines.filter((l) => l.message === "shadow health" && l.at >= started && l.at <= ended)
        expect(ended - started).toBeGreaterThan(5 * Duration.toMillis(interval))
        const gaps = during.slice(1).map((l, i) => l.at - during[i]!.at)
        expect(Math.max(...gaps)).toBeLessThan(3 * Duration.toMillis(interval))
        expect(during.map((l) => l.annotations["outboxDepth"] as number).some((d) => d > 0 && d < 2 * backlog)).toBe(
          true
        )

        const after = yield* health.snapshot
        expect(after).toMatchObject({
          enabled: true,
          outboxDepth: 0,
          oldestPendingAgeMs: 0,
          deadLetters: 0,
          failed: 0,
          submitted: 2 * backlog + 1,
          succeeded: 2 * backlog + 1,
          isApplier: true,
          inSync: true
        })
        expect((yield* counter(M.withBackend(M.shadowSucceeded, "postgres"))) - succeededBefore).toBe(2 * backlog + 1)
        expect((yield* Metric.value(M.shadowLatency("postgres"))).count).toBeGreaterThan(latencyBefore)
        const last = yield* eventually(
          Effect.sync(() => lines.filter((l) => l.message === "shadow health").at(-1)),
          (l) => l?.annotations["outboxDepth"] === 0
        )
        expect(last?.level).toBe("INFO")
        expect(Object.keys(last?.annotations ?? {})).toEqual(
          expect.arrayContaining(["outboxDepth", "oldestPendingAgeMs", "deadLetters", "appliedPerSecond", "applier"])
        )
        expect((yield* Metric.value(M.withBackend(M.shadowOutboxDepth, "postgres"))).value).toBe(0)
      }),
    90_000
  )
})
