/**
 * A locked SQLite shadow never stalls the bot (issue 11, deliverable 5). With PostgreSQL primary and SQLite as
 * shadow, a second connection holds SQLite's write lock; before, better-sqlite3's busy wait blocked the event loop
 * for as long as the lock was held (12.2 s for a 12 s lock), PostgreSQL writes included. Now the shadow connection
 * waits for no lock and the applier retries a busy file asynchronously: the event loop's longest stall and the
 * primary's write latency are measured while the lock is held. The 12 s version is `bench/fault-bench.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import Sqlite from "better-sqlite3"
import { Duration, Effect, Layer } from "effect"
import { monitorEventLoopDelay, performance } from "node:perf_hooks"
import * as Modes from "../../src/runtime/config/Mode.js"
import { ShadowHealth } from "../../src/runtime/modes/ShadowHealth.js"
import { MessageService } from "../../src/runtime/services/MessageService.js"
import { tempPostgresUrl, tempSqlite } from "../support/TestDatabases.js"
import { dumpTables, testShadowOptions } from "./support/ModeFixtures.js"
import { bothDatabases, botLayer } from "./support/Restart.js"

const percentile = (values: ReadonlyArray<number>, p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN
}

describe("a locked SQLite shadow", () => {
  it.scopedLive(
    "a foreign write lock held for 3 s: no event-loop stall, PostgreSQL writes as fast as before, then catch-up",
    () =>
      Effect.gen(function* () {
        const sqlite = yield* tempSqlite()
        const pg = yield* tempPostgresUrl
        const files = { sqliteFile: sqlite.filename, pgUrl: pg.url }
        const options = { ...testShadowOptions, batchSize: 100, retryMaxDelay: Duration.millis(250) }
        const ctx = yield* Layer.build(botLayer(Modes.postgresShadowedToSqlite, files, options))
        const messages = yield* Effect.provide(MessageService, ctx)
        const health = yield* Effect.provide(ShadowHealth, ctx)
        const timedWrites = (n: number) =>
          Effect.forEach(
            Array.from({ length: n }, (_, i) => i),
            (i) =>
              Effect.gen(function* () {
                const started = performance.now()
                yield* messages.saveHumanMessage({ userId: `u${i % 5}`, username: "u", content: `m${i}` })
                return performance.now() - started
              })
          )
        const before = yield* timedWrites(200)
        expect(yield* health.flush(Duration.seconds(30))).toBe(true)

        // Another process (here a second connection) takes SQLite's write lock and keeps it.
        const foreign = new Sqlite(sqlite.filename)
        yield* Effect.addFinalizer(() => Effect.sync(() => foreign.close()))
        foreign.exec("BEGIN IMMEDIATE")
        foreign.exec("CREATE TABLE IF NOT EXISTS omega_test_lock (x INTEGER)")
        const stalls = monitorEventLoopDelay({ resolution: 5 })
        stalls.enable()
        const during: Array<number> = []
        const lockedUntil = performance.now() + 3000
        while (performance.now() < lockedUntil) during.push(...(yield* timedWrites(20)))
        stalls.disable()
        const pendingWhileLocked = (yield* health.snapshot).outboxDepth
        foreign.exec("ROLLBACK")

        const longestStallMs = stalls.max / 1e6
        expect(pendingWhileLocked).toBeGreaterThan(0)
        // The old busy wait stalled for the whole 3 s; what is left is the machine's own noise.
        expect(longestStallMs).toBeLessThan(250)
        expect(percentile(during, 0.5)).toBeLessThan(Math.max(3 * percentile(before, 0.5), percentile(before, 0.5) + 3))

        expect(yield* health.flush(Duration.seconds(30))).toBe(true)
        expect(yield* health.snapshot).toMatchObject({ outboxDepth: 0, deadLetters: 0 })
        const opened = yield* Layer.build(bothDatabases(files))
        expect(yield* Effect.provide(dumpTables("sqlite"), opened)).toEqual(
          yield* Effect.provide(dumpTables("postgres"), opened)
        )
      }),
    60_000
  )
})
