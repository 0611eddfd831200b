/**
 * The shadow unreachable at start, or at any time (issue 11, deliverable 2), with PostgreSQL behind a TCP proxy the
 * test cuts. The bot's layer starts and serves from SQLite while PostgreSQL cannot be reached (before, the whole
 * layer failed and every write with it, SQLite's included), reads with USE_POSTGRES_READ fall back to SQLite, and
 * once PostgreSQL answers its schema is migrated and the outbox catches it up, with nothing to replay by hand.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer, Option } from "effect"
import * as Modes from "../../src/runtime/config/Mode.js"
import { ShadowHealth } from "../../src/runtime/modes/ShadowHealth.js"
import { MessageService } from "../../src/runtime/services/MessageService.js"
import { UserProfileService } from "../../src/runtime/services/UserProfileService.js"
import { adminUrl, tempPostgresUrl, tempSqlite } from "../support/TestDatabases.js"
import { eventually } from "./support/Eventually.js"
import { testShadowOptions, unique } from "./support/ModeFixtures.js"
import { bothDatabases, botLayer } from "./support/Restart.js"
import { tcpProxy } from "./support/TcpProxy.js"
import { dumpTables } from "./support/ModeFixtures.js"

const server = new URL(adminUrl)
const target = { host: server.hostname, port: Number(server.port || 5432) }

const options = { ...testShadowOptions, retryBaseDelay: Duration.millis(20), retryMaxDelay: Duration.millis(200) }

describe("the shadow unreachable", () => {
  it.scopedLive(
    "at start: the bot serves from SQLite, reads fall back, and PostgreSQL catches up once it answers",
    () =>
      Effect.gen(function* () {
        const sqlite = yield* tempSqlite()
        const pg = yield* tempPostgresUrl
        const proxy = yield* tcpProxy(target, false)
        const files = { sqliteFile: sqlite.filename, pgUrl: pg.url }
        // Reads from PostgreSQL (phase 5), which cannot be reached at all when the bot starts.
        const ctx = yield* Layer.build(botLayer(Modes.sqliteShadowedReadPostgres, files, options, proxy.urlFor(pg.url)))
        const messages = yield* Effect.provide(MessageService, ctx)
        const profiles = yield* Effect.provide(UserProfileService, ctx)
        const health = yield* Effect.provide(ShadowHealth, ctx)

        const user = unique("u")
        yield* profiles.createUserProfile({ userId: user, username: "U" })
        const saved = yield* Effect.forEach(
          Array.from({ length: 50 }, (_, i) => i),
          (i) =>
            Effect.zipLeft(
              messages.saveHumanMessage({ userId: user, username: "U", content: `while down ${i}` }),
              profiles.incrementMessageCount(user)
            )
        )
        // Served by SQLite, the shadow being unreachable.
        expect(yield* messages.getMessageById(saved[0]!.id)).toEqual(Option.some(saved[0]))
        const down = yield* health.snapshot
        expect(down).toMatchObject({ shadowConnected: false, readsFromShadow: 0, applier: "connecting" })
        expect(down.readsFromPrimary).toBeGreaterThan(0)
        expect(down.submitted).toBe(101)

        yield* proxy.restore
        expect(yield* health.flush(Duration.seconds(30))).toBe(true)
        const up = yield* eventually(health.snapshot, (s) => s.inSync)
        expect(up).toMatchObject({ shadowConnected: true, outboxDepth: 0, deadLetters: 0, succeeded: 101 })
        // Reads go to PostgreSQL again, and see everything written while it was away.
        expect(yield* messages.getMessageCount({ userId: user })).toBe(50)
        expect((yield* health.snapshot).readsFromShadow).toBeGreaterThan(0)

        const opened = yield* Layer.build(bothDatabases(files))
        expect(yield* Effect.provide(dumpTables("postgres"), opened)).toEqual(
          yield* Effect.provide(dumpTables("sqlite"), opened)
        )
      }),
    60_000
  )

  it.scopedLive(
    "cut in the middle of a load: no write fails, and the shadow converges when it is back",
    () =>
      Effect.gen(function* () {
        const sqlite = yield* tempSqlite()
        const pg = yield* tempPostgresUrl
        const proxy = yield* tcpProxy(target)
        const files = { sqliteFile: sqlite.filename, pgUrl: pg.url }
        const ctx = yield* Layer.build(botLayer(Modes.sqliteShadowedToPostgres, files, options, proxy.urlFor(pg.url)))
        const messages = yield* Effect.provide(MessageService, ctx)
        const profiles = yield* Effect.provide(UserProfileService, ctx)
        const health = yield* Effect.provide(ShadowHealth, ctx)
        yield* profiles.createUserProfile({ userId: "hot", username: "Hot" })
        expect(yield* health.flush(Duration.seconds(30))).toBe(true)

        // Any failed write fails the test: writes go on before, during and after the cut.
        let n = 0
        const load = (count: number) =>
          Effect.forEach(
            Array.from({ length: count }, () => n++),
            (i) =>
              Effect.zipRight(
                messages.saveHumanMessage({ userId: `u${i % 5}`, username: "u", content: `m${i}` }),
                profiles.incrementMessageCount("hot")
              ),
            { concurrency: 4, discard: true }
          )
        yield* load(150)
        yield* proxy.cut
        yield* load(200)
        // While it is cut the applier fails and backs off; the writes wait in the outbox.
        const cut = yield* eventually(health.snapshot, (s) => s.circuitOpen && s.outboxDepth > 0)
        expect(cut.lastError).not.toBeNull()
        yield* load(50)
        yield* proxy.restore
        expect(yield* health.flush(Duration.seconds(30))).toBe(true)
        const after = yield* health.snapshot
        expect(after).toMatchObject({ outboxDepth: 0, deadLetters: 0, failed: 0, submitted: 801 })

        const opened = yield* Layer.build(bothDatabases(files))
        const postgres = yield* Effect.provide(dumpTables("postgres"), opened)
        expect(postgres).toEqual(yield* Effect.provide(dumpTables("sqlite"), opened))
        expect(postgres["user_profiles"]!.map((p) => (p as { message_count: number }).message_count)).toEqual([n])
      }),
    60_000
  )
})
