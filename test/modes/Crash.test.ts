/**
 * A crash loses no acknowledged write (issue 11, deliverable 1). The bot runs the writes of all four services in a
 * child process (the built package, configured from the environment) and is SIGKILLed at random moments, twice in
 * a row; the bot's layer then starts again on the same files with no operator action. The shadow must converge to
 * exactly what the primary holds (every acknowledged insert, update, delete and increment, the hot counter
 * included) and verify must pass. With the in-memory queue of old, hundreds of acknowledged writes were missing
 * from PostgreSQL after each kill. The ten-kill version is `bench/fault-bench.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Random } from "effect"
import * as Modes from "../../src/runtime/config/Mode.js"
import { tempPostgresUrl, tempSqlite } from "../support/TestDatabases.js"
import { startBot } from "./support/BotProcess.js"
import { testShadowOptions } from "./support/ModeFixtures.js"
import { dataChecksFailing, restartAndCompare } from "./support/Restart.js"

describe("a SIGKILLed bot loses no shadow write", () => {
  it.scopedLive(
    "killed twice mid-load: after a restart the shadow holds every acknowledged write and verify passes",
    () =>
      Effect.gen(function* () {
        const sqlite = yield* tempSqlite()
        const pg = yield* tempPostgresUrl
        const env = {
          USE_POSTGRES_SHADOW: "true",
          SQLITE_PATH: sqlite.filename,
          POSTGRES_URL: pg.url,
          // A killed bot keeps the applier lease until it expires: short, so the next one takes over soon.
          SHADOW_LEASE_TTL_MS: "1500"
        }
        const acknowledged: Array<number> = []
        for (let kill = 0; kill < 2; kill++) {
          const bot = yield* startBot(env)
          const started = yield* bot.ackedAtLeast(100, Duration.seconds(40))
          expect(started, (yield* bot.exited.pipe(Effect.timeout("1 millis"), Effect.option))._tag).toBe(true)
          yield* Effect.sleep(Duration.millis(yield* Random.nextIntBetween(0, 800)))
          yield* bot.kill
          acknowledged.push(bot.acked())
        }
        expect(acknowledged.every((n) => n >= 100)).toBe(true)

        const after = yield* restartAndCompare(
          Modes.sqliteShadowedToPostgres,
          { sqliteFile: sqlite.filename, pgUrl: pg.url },
          {
            ...testShadowOptions,
            leaseTtl: Duration.millis(1500)
          }
        )
        expect(after.flushed).toBe(true)
        expect(after.health).toMatchObject({ outboxDepth: 0, deadLetters: 0, failed: 0 })
        // Not vacuous: the killed bots wrote to every table, counters and deletes included.
        expect(after.sqlite["messages"]!.length).toBeGreaterThan(20)
        expect(after.sqlite["user_profiles"]!.length).toBeGreaterThan(1)
        const hot = after.sqlite["user_profiles"]!.find((p) => (p as { user_id: string }).user_id === "hot") as {
          message_count: number
        }
        expect(hot.message_count).toBeGreaterThan(10)
        expect(after.postgres).toEqual(after.sqlite)
        // verify's data checks pass (the plan and latency checks judge indexes on this small data, not replication).
        expect(dataChecksFailing(after.verify)).toEqual([])
      }),
    120_000
  )
})
