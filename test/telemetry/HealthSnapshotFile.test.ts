/**
 * SHADOW_METRICS_FILE: the bot writes its shadow health snapshot to a file at an interval, and `omega-db verify`
 * judges the shadow write failure rate from that file (the variable or `--shadow-metrics`), with no hand-made
 * snapshot. A folder that cannot be created stops the start, naming the variable.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Duration, Effect, Exit, Layer } from "effect"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { failureRateCheck } from "../../src/programs/verify/checks/ShadowChecks.js"
import { readShadowMetrics } from "../../src/programs/verify/ShadowMetricsFile.js"
import { ShadowHealth } from "../../src/runtime/modes/ShadowHealth.js"
import { MessageService } from "../../src/runtime/services/MessageService.js"
import type { HealthSnapshotFileContent } from "../../src/runtime/telemetry/HealthSnapshotFile.js"
import { tempDir, tempSqlite } from "../support/TestDatabases.js"
import { botLayer, shadowPhaseLayer } from "./support/BotEnvironment.js"

const readSnapshot = (file: string) => JSON.parse(readFileSync(file, "utf8")) as HealthSnapshotFileContent

describe("shadow health snapshot file", () => {
  it.scopedLive("is rewritten at its interval while the bot runs, and verify reads the failure rate from it", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const file = join(dir, "health", "shadow.json")
      const { layer } = yield* shadowPhaseLayer({
        SHADOW_METRICS_FILE: file,
        SHADOW_METRICS_FILE_INTERVAL_MS: "100"
      })
      const whileRunning = yield* Effect.gen(function* () {
        const messages = yield* MessageService
        for (let i = 0; i < 25; i++) {
          yield* messages.saveHumanMessage({ userId: "ana", username: "Ana", content: `hello ${i}` })
        }
        expect(yield* (yield* ShadowHealth).flush(Duration.seconds(20))).toBe(true)
        // The next write of the file after the shadow caught up.
        yield* Effect.sleep(Duration.millis(400))
        return readSnapshot(file)
      }).pipe(Effect.provide(layer))

      expect(whileRunning.enabled).toBe(true)
      expect(whileRunning.isApplier).toBe(true)
      expect(whileRunning.submitted).toBe(25)
      expect(whileRunning.succeeded).toBe(25)
      expect(whileRunning.failed).toBe(0)
      expect(whileRunning.outboxDepth).toBe(0)
      expect(whileRunning.pid).toBe(process.pid)
      expect(Date.now() - Date.parse(whileRunning.writtenAt)).toBeLessThan(5_000)

      // Written once more at shutdown, and what verify reads.
      const metrics = yield* readShadowMetrics(file)
      expect(metrics).toMatchObject({ writes: 25, failures: 0, source: file })
      const check = failureRateCheck(metrics, 0.01)
      expect(check.status).toBe("pass")
      expect(check.figure).toContain(`0 failed of 25 shadow writes, from ${file}, written`)
    })
  )

  it.scopedLive("counts dead letters as failures, so verify fails a shadow that refuses writes", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const file = join(dir, "snapshot.json")
      const { layer, postgresUrl } = yield* shadowPhaseLayer({
        SHADOW_RETRY_ATTEMPTS: "1",
        SHADOW_METRICS_FILE: file
      })
      yield* Effect.gen(function* () {
        const messages = yield* MessageService
        yield* messages.saveHumanMessage({ userId: "ana", username: "Ana", content: "fine" })
        // Applied: the shadow is open and its schema in place.
        expect(yield* (yield* ShadowHealth).flush(Duration.seconds(20))).toBe(true)
        // A write PostgreSQL refuses for good and SQLite takes: the shape of every poison write.
        yield* Effect.promise(async () => {
          const { default: Pg } = await import("pg")
          const client = new Pg.Client({ connectionString: postgresUrl })
          await client.connect()
          await client.query("ALTER TABLE messages ADD CONSTRAINT refuse_bad CHECK (message_content <> 'refused')")
          await client.end()
        })
        yield* messages.saveHumanMessage({ userId: "ana", username: "Ana", content: "refused" })
        yield* (yield* ShadowHealth).flush(Duration.seconds(5))
      }).pipe(Effect.provide(layer))

      const metrics = yield* readShadowMetrics(file)
      expect(metrics).toMatchObject({ writes: 2, failures: 1 })
      expect(failureRateCheck(metrics, 0.01).status).toBe("fail")
    })
  )

  it.scopedLive("a folder that cannot be created stops the start, naming SHADOW_METRICS_FILE", () =>
    Effect.gen(function* () {
      const sqlite = yield* tempSqlite()
      const exit = yield* Effect.exit(
        Layer.build(
          botLayer({ SQLITE_PATH: sqlite.filename, SHADOW_METRICS_FILE: "/proc/nonexistent/shadow.json" })
        ).pipe(Effect.scoped)
      )
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit)) {
        expect(Cause.pretty(exit.cause)).toContain("SHADOW_METRICS_FILE: cannot create the folder of /proc/nonexistent")
      }
    })
  )
})
