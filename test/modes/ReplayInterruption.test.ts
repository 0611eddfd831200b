/**
 * Exactly-once, convergent catch-up (issue 11, deliverable 3). A backlog builds up while PostgreSQL is cut off;
 * while the applier works through it, its connections are terminated again and again at random moments (between
 * applying a batch and recording it, in the middle of a COMMIT, wherever they fall). A trigger on PostgreSQL counts
 * every committed apply of a message: each must be applied exactly once, no entry may be stuck, and the databases
 * must end equal, the hot counter included. Before, a replay aborted between applying a page and deleting it left
 * entries that could never be replayed. The SIGKILL version (×10) is `bench/fault-bench.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer, Random } from "effect"
import Pg from "pg"
import * as Modes from "../../src/runtime/config/Mode.js"
import { ShadowHealth } from "../../src/runtime/modes/ShadowHealth.js"
import { MessageService } from "../../src/runtime/services/MessageService.js"
import { UserProfileService } from "../../src/runtime/services/UserProfileService.js"
import { adminUrl, tempPostgresUrl, tempSqlite } from "../support/TestDatabases.js"
import { dumpTables, terminateConnections, testShadowOptions } from "./support/ModeFixtures.js"
import { bothDatabases, botLayer } from "./support/Restart.js"
import { tcpProxy } from "./support/TcpProxy.js"

const server = new URL(adminUrl)
const target = { host: server.hostname, port: Number(server.port || 5432) }

/** Runs statements on database `url` itself, outside the bot's pools. */
export const onDatabase = (url: string, statements: ReadonlyArray<string>) =>
  Effect.promise(async () => {
    const client = new Pg.Client({ connectionString: url })
    await client.connect()
    try {
      const results = []
      for (const statement of statements) results.push(await client.query(statement))
      return results
    } finally {
      await client.end()
    }
  })

/** Every committed insert or update of a message on PostgreSQL leaves one row in omega_test_applies. */
export const countApplies = [
  "CREATE TABLE omega_test_applies (id TEXT NOT NULL)",
  `CREATE FUNCTION omega_test_count_apply() RETURNS trigger AS $$
    BEGIN INSERT INTO omega_test_applies VALUES (NEW.id); RETURN NEW; END $$ LANGUAGE plpgsql`,
  `CREATE TRIGGER omega_test_count_apply AFTER INSERT OR UPDATE ON messages
    FOR EACH ROW EXECUTE FUNCTION omega_test_count_apply()`
]

describe("catching up through interruptions", () => {
  it.scopedLive(
    "connections terminated at random points of the catch-up: every write applied exactly once, none stuck",
    () =>
      Effect.gen(function* () {
        const sqlite = yield* tempSqlite()
        const pg = yield* tempPostgresUrl
        const proxy = yield* tcpProxy(target)
        const files = { sqliteFile: sqlite.filename, pgUrl: pg.url }
        const options = { ...testShadowOptions, batchSize: 25, retryMaxDelay: Duration.millis(100) }
        const ctx = yield* Layer.build(botLayer(Modes.sqliteShadowedToPostgres, files, options, proxy.urlFor(pg.url)))
        const messages = yield* Effect.provide(MessageService, ctx)
        const profiles = yield* Effect.provide(UserProfileService, ctx)
        const health = yield* Effect.provide(ShadowHealth, ctx)
        yield* profiles.createUserProfile({ userId: "hot", username: "Hot" })
        expect(yield* health.flush(Duration.seconds(30))).toBe(true)
        yield* onDatabase(pg.url, countApplies)

        yield* proxy.cut
        const backlog = 1500
        yield* Effect.forEach(
          Array.from({ length: backlog }, (_, i) => i),
          (i) =>
            Effect.zipRight(
              messages.saveHumanMessage({ userId: `u${i % 7}`, username: "u", content: `backlog ${i}` }),
              profiles.incrementMessageCount("hot")
            ),
          { concurrency: 4, discard: true }
        )
        expect((yield* health.snapshot).outboxDepth).toBe(2 * backlog)

        yield* proxy.restore
        let interruptions = 0
        const interrupt = Effect.gen(function* () {
          for (;;) {
            yield* Effect.sleep(Duration.millis(yield* Random.nextIntBetween(20, 120)))
            const left = (yield* health.snapshot).outboxDepth
            if (left === 0) return
            yield* terminateConnections(pg.name)
            interruptions++
          }
        })
        yield* interrupt
        expect(yield* health.flush(Duration.seconds(60))).toBe(true)
        expect(interruptions).toBeGreaterThanOrEqual(3)

        const after = yield* health.snapshot
        expect(after).toMatchObject({ outboxDepth: 0, deadLetters: 0, failed: 0 })
        const [counted] = yield* onDatabase(pg.url, [
          "SELECT COUNT(*)::int AS applies, COUNT(DISTINCT id)::int AS messages FROM omega_test_applies"
        ])
        expect(counted!.rows[0]).toEqual({ applies: backlog, messages: backlog })

        const opened = yield* Layer.build(bothDatabases(files))
        const postgres = yield* Effect.provide(dumpTables("postgres"), opened)
        expect(postgres).toEqual(yield* Effect.provide(dumpTables("sqlite"), opened))
        expect(postgres["user_profiles"]!.map((p) => (p as { message_count: number }).message_count)).toEqual([backlog])
      }),
    90_000
  )
})
