/**
 * Two bot processes on one SQLite file (a rolling deploy; issue 11, deliverable 4). Both start at the same moment
 * on the SQLite file of the previous version (its schema migrations up to the outbox pending) and a fresh
 * PostgreSQL database, so both upgrade both schemas at once: the migrations are serialised and neither fails to
 * start (before, one died in 3 of 13 paired starts). Both write, a hot counter
 * included; one applier at a time copies the one outbox, in commit order, so the counter ends right on PostgreSQL
 * (before, stale in 3 of 4 runs) and no entry is applied by both. When the applying process is killed, the lease
 * passes to the other. (The bots pause a few milliseconds between rounds, as a real bot does between messages:
 * flat out, two processes starve each other of SQLite's write lock, whatever the shadow does.)
 */
import { describe, expect, it } from "@effect/vitest"
import Sqlite from "better-sqlite3"
import { Migrator, SqlClient } from "@effect/sql"
import { Context, Duration, Effect, Layer, Record } from "effect"
import * as SqliteDatabase from "../../src/runtime/layers/SqliteDatabase.js"
import { migrationsOf } from "../../src/runtime/schema/runSchemaMigrations.js"
import * as Modes from "../../src/runtime/config/Mode.js"
import { tempPostgresUrl, tempSqlite } from "../support/TestDatabases.js"
import { startBot } from "./support/BotProcess.js"
import { eventually } from "./support/Eventually.js"
import { testShadowOptions } from "./support/ModeFixtures.js"
import { dataChecksFailing, restartAndCompare } from "./support/Restart.js"

/** The file as the previous version of the bot left it: migrations before the outbox (SQLite 5) applied. */
const previousVersion = (filename: string) =>
  Effect.scoped(
    Effect.flatMap(Layer.build(SqliteDatabase.layer({ filename, busyTimeoutMs: 5000, migrate: false })), (ctx) =>
      Migrator.make({})({
        loader: Migrator.fromRecord(
          Record.map(
            Record.filter(migrationsOf("sqlite"), (_, id) => parseInt(id, 10) < 5),
            (m) => m.run
          )
        ),
        table: "effect_sql_migrations"
      }).pipe(Effect.provideService(SqlClient.SqlClient, Context.get(ctx, SqliteDatabase.SqliteDatabase).sql))
    )
  ).pipe(Effect.orDie)

const counted = (health: Record<string, unknown> | null, key: string) => Number(health?.[key] ?? Number.NaN)

const hotCount = (dump: Record<string, ReadonlyArray<unknown>>) =>
  (dump["user_profiles"]!.find((p) => (p as { user_id: string }).user_id === "hot") as { message_count: number })
    .message_count

describe("two bots on one SQLite file", () => {
  it.scopedLive(
    "started together on fresh databases: both start, one applier at a time, the shadow ends equal",
    () =>
      Effect.gen(function* () {
        const sqlite = yield* tempSqlite()
        yield* previousVersion(sqlite.filename)
        const pg = yield* tempPostgresUrl
        const env = {
          USE_POSTGRES_SHADOW: "true",
          SQLITE_PATH: sqlite.filename,
          POSTGRES_URL: pg.url,
          SHADOW_LEASE_TTL_MS: "1500",
          BOT_ROUNDS: "12",
          BOT_WRITERS: "2",
          BOT_PACE_MS: "5"
        }
        const a = yield* startBot({ ...env, BOT_NAME: "a" })
        const b = yield* startBot({ ...env, BOT_NAME: "b" })
        const [ea, eb] = yield* Effect.all([a.exited, b.exited], { concurrency: 2 })
        expect([ea.code, eb.code], `${ea.stderr}\n${eb.stderr}`).toEqual([0, 0])

        const after = yield* restartAndCompare(
          Modes.sqliteShadowedToPostgres,
          { sqliteFile: sqlite.filename, pgUrl: pg.url },
          { ...testShadowOptions, leaseTtl: Duration.millis(1500) }
        )
        expect(after.flushed).toBe(true)
        expect(after.postgres).toEqual(after.sqlite)
        expect(hotCount(after.postgres)).toBe(2 * 2 * 12)
        // Every outbox entry applied once, by one of the three processes in turn.
        const submitted = counted(ea.health, "submitted") + counted(eb.health, "submitted")
        const applied = (ea.appliedAtEnd ?? Number.NaN) + (eb.appliedAtEnd ?? Number.NaN) + after.health.succeeded
        expect(submitted).toBeGreaterThan(100)
        expect(applied).toBe(submitted)
        expect(after.health.deadLetters).toBe(0)
        expect(dataChecksFailing(after.verify)).toEqual([])
      }),
    120_000
  )

  it.scopedLive(
    "the applying bot is killed: the other takes the lease over and the shadow still ends equal",
    () =>
      Effect.gen(function* () {
        const sqlite = yield* tempSqlite()
        yield* previousVersion(sqlite.filename)
        const pg = yield* tempPostgresUrl
        const env = {
          USE_POSTGRES_SHADOW: "true",
          SQLITE_PATH: sqlite.filename,
          POSTGRES_URL: pg.url,
          SHADOW_LEASE_TTL_MS: "1000",
          BOT_WRITERS: "2",
          BOT_PACE_MS: "5"
        }
        const first = yield* startBot({ ...env, BOT_NAME: "a", BOT_ROUNDS: "0" })
        const second = yield* startBot({ ...env, BOT_NAME: "b", BOT_ROUNDS: "40" })
        for (const bot of [first, second]) {
          const running = yield* bot.ackedAtLeast(100, Duration.seconds(40))
          const ended = yield* Effect.option(Effect.timeout(bot.exited, "1 millis"))
          expect(running, ended._tag === "Some" ? ended.value.stderr : "").toBe(true)
        }
        // Kill whichever holds the applier lease (its holder names the process), once one took it.
        const lease = new Sqlite(sqlite.filename, { readonly: true })
        yield* Effect.addFinalizer(() => Effect.sync(() => lease.close()))
        const holderNow = () =>
          (lease.prepare("SELECT holder FROM shadow_applier_lease").get() as { holder: string }).holder
        const holder = yield* eventually(Effect.sync(holderNow), (h) => h !== "")
        const holderPid = Number(holder.split(":")[1])
        const [killed, survivor] = holderPid === first.pid ? [first, second] : [second, first]
        expect([first.pid, second.pid]).toContain(holderPid)
        yield* killed.kill
        if (survivor === first) {
          // The survivor runs until killed too: give it time to take over, then stop it the same way.
          yield* Effect.sleep(Duration.seconds(3))
          yield* survivor.kill
        } else {
          const end = yield* survivor.exited
          expect(end.code, end.stderr).toBe(0)
          // It applied after the holder died: the lease passed over.
          expect(counted(end.health, "succeeded")).toBeGreaterThan(0)
          expect(end.health?.["outboxDepth"], end.log).toBe(0)
        }

        const after = yield* restartAndCompare(
          Modes.sqliteShadowedToPostgres,
          { sqliteFile: sqlite.filename, pgUrl: pg.url },
          { ...testShadowOptions, leaseTtl: Duration.millis(1000) }
        )
        expect(after.flushed).toBe(true)
        expect(after.postgres).toEqual(after.sqlite)
        expect(after.health.deadLetters).toBe(0)
      }),
    120_000
  )
})
