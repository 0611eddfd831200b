/**
 * The shadow's health is visible while it runs: the snapshot's counts and failure rate, the Effect Metrics, and
 * the periodic structured log line.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer, Logger, Metric } from "effect"
import * as Modes from "../../src/runtime/config/Mode.js"
import { ShadowHealth } from "../../src/runtime/modes/ShadowHealth.js"
import * as M from "../../src/runtime/modes/ShadowMetrics.js"
import { MessageService } from "../../src/runtime/services/MessageService.js"
import { eventually } from "./support/Eventually.js"
import { freshDatabases, modeOver, postgresWriteControl, testShadowOptions } from "./support/ModeFixtures.js"

const counter = (metric: Metric.Metric.Counter<number>) => Effect.map(Metric.value(metric), (s) => s.count)

describe("shadow health", () => {
  it.scopedLive("counts, failure rate, metrics and the periodic health log line", () =>
    Effect.gen(function* () {
      const lines: Array<{ message: string; annotations: Record<string, unknown>; level: string }> = []
      const capture = Logger.replace(
        Logger.defaultLogger,
        Logger.make((o) => {
          const annotations: Record<string, unknown> = {}
          for (const [k, v] of o.annotations) annotations[k] = v
          lines.push({ message: String(o.message), annotations, level: o.logLevel.label })
        })
      )
      const succeededBefore = yield* counter(M.withBackend(M.shadowSucceeded, "postgres"))
      const journaledBefore = yield* counter(M.withBackend(M.shadowJournaled, "postgres"))
      const latencyBefore = (yield* Metric.value(M.shadowLatency("postgres"))).count

      const dbs = yield* freshDatabases
      const ctx = yield* Layer.build(
        modeOver(dbs.layer, Modes.sqliteShadowedToPostgres, {
          ...testShadowOptions,
          healthInterval: Duration.millis(150),
          retryAttempts: 1
        })
      ).pipe(Effect.provide(capture))
      const control = yield* Effect.provide(postgresWriteControl, ctx)
      const messages = yield* Effect.provide(MessageService, ctx)
      const health = yield* Effect.provide(ShadowHealth, ctx)

      for (let i = 0; i < 30; i++) yield* messages.saveHumanMessage({ userId: "u", username: "u", content: `ok ${i}` })
      expect(yield* health.flush(Duration.seconds(10))).toBe(true)
      // A permanent shadow failure (PostgreSQL rejects every write): 10 writes fail and are journaled.
      yield* control.fail("schema drift: the shadow rejects this row")
      for (let i = 0; i < 10; i++) yield* messages.saveHumanMessage({ userId: "u", username: "u", content: `bad ${i}` })
      expect(yield* health.flush(Duration.seconds(10))).toBe(true)

      const snapshot = yield* health.snapshot
      expect(snapshot).toMatchObject({
        enabled: true,
        submitted: 40,
        succeeded: 30,
        failed: 10,
        journaled: 10,
        journalSize: 10,
        queueDepth: 0,
        unjournaled: 0,
        failureRate: 0.25
      })
      expect((yield* counter(M.withBackend(M.shadowSucceeded, "postgres"))) - succeededBefore).toBe(30)
      expect((yield* counter(M.withBackend(M.shadowJournaled, "postgres"))) - journaledBefore).toBe(10)
      expect((yield* Metric.value(M.shadowLatency("postgres"))).count).toBeGreaterThan(latencyBefore)
      expect((yield* Metric.value(M.withBackend(M.shadowFailureRate, "postgres"))).value).toBe(0.25)
      expect((yield* Metric.value(M.withBackend(M.shadowQueueDepth, "postgres"))).value).toBe(0)

      // The health loop logs on its own schedule: wait for a line that saw the journaled writes.
      const healthLines = yield* eventually(
        Effect.sync(() => lines.filter((l) => l.message === "shadow health")),
        (logged) => logged.at(-1)?.annotations["journalSize"] === 10
      )
      expect(healthLines.length).toBeGreaterThan(0)
      const last = healthLines[healthLines.length - 1]!
      expect(Object.keys(last.annotations)).toEqual(
        expect.arrayContaining([
          "writesPerSecond",
          "failurePercent",
          "failurePercentTotal",
          "queueDepth",
          "journalSize"
        ])
      )
      expect(last.annotations["journalSize"]).toBe(10)
      expect(last.annotations["failurePercentTotal"]).toBe(25)
      // A shadow with failures logs its health as a warning.
      expect(healthLines.some((l) => l.level === "WARN")).toBe(true)
    })
  )
})
