/**
 * The outbox at the store seam (DatabaseStore): an entry commits with its write or not at all; entries are read in
 * commit order however many writers race (on PostgreSQL a plain BIGSERIAL would let a reader skip an entry still
 * uncommitted below one it saw); the shadow's position moves only compare-and-set; dead letters are kept per origin;
 * and the journal entries a database held before the outbox existed move into it, in replay order, and reach the
 * shadow.
 */
import { Migrator, SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Context, Duration, Effect, Layer, Option, Random, Record, Schema } from "effect"
import * as Modes from "../../src/runtime/config/Mode.js"
import type { Backend } from "../../src/runtime/domain/Errors.js"
import { aggregateKey, WriteOp as WriteOpSchema, type WriteOp } from "../../src/runtime/domain/WriteOp.js"
import { ShadowHealth } from "../../src/runtime/modes/ShadowHealth.js"
import { migrationsOf } from "../../src/runtime/schema/runSchemaMigrations.js"
import { positionMoved } from "../../src/runtime/store/ReplicationLog.js"
import { type DatabaseStore, PostgresStore, SqliteStore } from "../../src/runtime/store/Store.js"
import { freshDatabases, modeOver, rawSql, testShadowOptions, unique } from "./support/ModeFixtures.js"
import * as PostgresDatabase from "../../src/runtime/layers/PostgresDatabase.js"
import * as SqliteDatabase from "../../src/runtime/layers/SqliteDatabase.js"
import { PostgresStoreLive, SqliteStoreLive } from "../../src/runtime/layers/StoreLayers.js"
import { tempPostgres, tempSqlite } from "../support/TestDatabases.js"

const message = (id: string): Extract<WriteOp, { _tag: "InsertMessage" }> => ({
  _tag: "InsertMessage",
  row: {
    id,
    timestamp: 1_700_000_000_000,
    sender_type: "human",
    user_id: "u",
    username: "u",
    channel_id: null,
    channel_name: null,
    guild_id: null,
    message_content: `text of ${id}`,
    tool_name: null,
    tool_args: null,
    tool_result: null,
    session_id: null,
    parent_message_id: null,
    metadata: null,
    ai_summary: null,
    sentiment_analysis: null,
    response_decision: null,
    interaction_type: null,
    user_intent: null,
    bot_perception: null,
    conversation_quality: null,
    created_at: 1_700_000_000
  }
})

const storeOf = (backend: Backend, ctx: Context.Context<SqliteStore | PostgresStore>): DatabaseStore =>
  backend === "sqlite" ? Context.get(ctx, SqliteStore) : Context.get(ctx, PostgresStore)

describe("the outbox", () => {
  for (const backend of ["sqlite", "postgres"] as const) {
    it.scopedLive(`${backend}: an entry commits with its write, or neither does`, () =>
      Effect.gen(function* () {
        const dbs = yield* freshDatabases
        const ctx = yield* Layer.build(dbs.layer)
        const store = storeOf(backend, ctx)
        const kept = message(unique("kept"))
        const lost = message(unique("lost"))
        yield* store.transaction(Effect.zipRight(store.apply(kept), store.outbox.append(kept, 1)))
        const failed = yield* Effect.either(
          store.transaction(
            Effect.zipRight(
              Effect.zipRight(store.apply(lost), store.outbox.append(lost, 2)),
              Effect.fail("the caller gave up" as const)
            )
          )
        )
        expect(failed._tag).toBe("Left")
        const entries = yield* store.outbox.read(0, 10)
        expect(entries.map((e) => [e.operation, e.aggregateKey])).toEqual([["InsertMessage", `message:${kept.row.id}`]])
        expect(JSON.parse(entries[0]!.payload)).toEqual(kept)
        expect(Option.isNone(yield* store.getMessageById(lost.row.id))).toBe(true)
      })
    )

    it.scopedLive(`${backend}: racing writers, one reader: every entry read exactly once, in commit order`, () =>
      Effect.gen(function* () {
        const dbs = yield* freshDatabases
        const ctx = yield* Layer.build(dbs.layer)
        const store = storeOf(backend, ctx)
        const appended = new Set<number>()
        const writer = (w: number) =>
          Effect.forEach(
            Array.from({ length: 25 }, (_, i) => i),
            (i) =>
              store
                .transaction(
                  Effect.gen(function* () {
                    const op = message(unique(`w${w}-${i}`))
                    yield* store.apply(op)
                    const seq = yield* store.outbox.append(op, i)
                    // Hold the transaction open a moment: later writers must not become visible before it.
                    yield* Effect.sleep(Duration.millis(yield* Random.nextIntBetween(0, 6)))
                    return seq
                  })
                )
                .pipe(Effect.tap((seq) => Effect.sync(() => appended.add(seq)))),
            { discard: true }
          )
        let done = false
        const seen: Array<number> = []
        const reader = Effect.gen(function* () {
          let position = 0
          for (;;) {
            const finished = done
            const entries = yield* store.outbox.read(position, 1000)
            for (const e of entries) seen.push(e.seq)
            position = entries.at(-1)?.seq ?? position
            if (finished && entries.length === 0) return
            yield* Effect.sleep(Duration.millis(1))
          }
        })
        yield* Effect.all(
          [
            Effect.ensuring(
              Effect.all(
                Array.from({ length: 6 }, (_, w) => writer(w)),
                { concurrency: "unbounded", discard: true }
              ),
              Effect.sync(() => void (done = true))
            ),
            reader
          ],
          { concurrency: "unbounded", discard: true }
        )
        expect(seen.length).toBe(150)
        expect(new Set(seen)).toEqual(appended)
        expect([...seen].sort((a, b) => a - b)).toEqual(seen)
      })
    )
  }

  it.scopedLive("sqlite: a message or query insert records its own entry, which decodes to the op written", () =>
    Effect.gen(function* () {
      const dbs = yield* freshDatabases
      const ctx = yield* Layer.build(dbs.layer)
      const store = Context.get(ctx, SqliteStore)
      const awkward = ['say "hi", {ok}', "back\\slash \\u0041", "naïve 日本 🚀\u2028", ""]
      const ops: Array<WriteOp> = awkward.flatMap((text, i): Array<WriteOp> => [
        {
          _tag: "InsertMessage",
          row: {
            ...message(unique("captured")).row,
            message_content: text,
            tool_args: [text, { "k,}": i }],
            tool_result: text,
            metadata: { text, list: [null, 1.5, -0.25, true], nested: { deep: [text] } },
            sentiment_analysis: i
          }
        },
        {
          _tag: "InsertQuery",
          row: {
            id: unique("query"),
            timestamp: 1_700_000_000_000 + i,
            user_id: "u",
            username: text,
            query_text: text,
            translated_sql: null,
            ai_summary: null,
            query_result: i % 2 === 0 ? [{ value: text }] : JSON.stringify([{ value: text }]),
            result_count: i,
            error: null,
            execution_time_ms: 12,
            sentiment_analysis: null,
            query_complexity: null,
            user_satisfaction: null,
            created_at: 1_700_000_000
          }
        }
      ])
      const recorded = yield* Effect.forEach(ops, (op) => store.applyRecorded(op, 0))
      const entries = yield* store.outbox.read(0, 100)
      expect(entries.map((e) => e.seq)).toEqual(recorded.map((r) => r.seq))
      expect(entries.map((e) => e.payload)).toEqual(recorded.map((r) => r.payload))
      // What an applier that did not see the write (after a restart, another process) decodes: the op itself.
      const decode = Schema.decodeUnknownSync(Schema.parseJson(WriteOpSchema))
      expect(entries.map((e) => decode(e.payload))).toEqual(ops)
      expect(entries.map((e) => e.aggregateKey)).toEqual(ops.map(aggregateKey))

      // A write that fails records nothing; an insert through another connection to the file (another process
      // that does not shadow) records nothing either.
      const failed = yield* Effect.either(store.applyRecorded(ops[0]!, 0))
      expect(failed._tag).toBe("Left")
      const other = yield* Layer.build(
        SqliteStoreLive.pipe(
          Layer.provide(SqliteDatabase.layer({ filename: dbs.sqliteFile, busyTimeoutMs: 5000, migrate: false }))
        )
      )
      yield* Context.get(other, SqliteStore).apply(message(unique("elsewhere")))
      expect(yield* store.outbox.read(0, 100)).toHaveLength(ops.length)
    })
  )

  it.scopedLive("the shadow's position moves compare-and-set; dead letters are kept per origin", () =>
    Effect.gen(function* () {
      const dbs = yield* freshDatabases
      const ctx = yield* Layer.build(dbs.layer)
      const shadow = yield* Effect.provide(PostgresStore, ctx)
      const origin = yield* Effect.provide(SqliteStore, ctx).pipe(Effect.flatMap((s) => s.outbox.origin))
      expect(origin).toMatch(/^sqlite-[0-9a-f]{16}$/)
      expect(yield* shadow.replica.appliedPosition(origin)).toBeNull()
      expect(yield* shadow.replica.position(origin)).toBe(0)
      yield* shadow.replica.advance(origin, 0, 5, 1)
      const stale = yield* Effect.either(shadow.replica.advance(origin, 0, 7, 2))
      expect(stale._tag === "Left" ? stale.left.operation : "moved").toBe(positionMoved)
      expect(yield* shadow.replica.position(origin)).toBe(5)

      const letter = (seq: number, operation: string, aggregateKey: string) => ({
        origin,
        seq,
        aggregateKey,
        operation,
        payload: "{}",
        error: `refused \u0000 ${seq}`,
        recordedAt: 1,
        deadAt: 2
      })
      yield* shadow.replica.recordDeadLetters([
        letter(3, "UpdateProfile", "profile:a"),
        letter(4, "InsertMessage", "message:m"),
        { ...letter(9, "UpdateProfile", "profile:b"), origin: "postgres-elsewhere" }
      ])
      expect(yield* shadow.replica.deadLetterCount(origin)).toBe(2)
      expect(yield* shadow.replica.heldAggregates(origin, ["InsertMessage", "InsertQuery"])).toEqual(
        new Set(["profile:a"])
      )
      const listed = yield* shadow.replica.deadLetters({ origin })
      expect(listed.map((l) => [l.seq, l.error])).toEqual([
        [3, "refused  3"],
        [4, "refused  4"]
      ])
      yield* shadow.replica.removeDeadLetters(origin, [3])
      expect(yield* shadow.replica.deadLetterCount()).toBe(2)
    })
  )
})

/** A database migrated up to (not including) migration `upTo`, as one that ran the journal's version of the bot. */
const migratedBefore = (backend: Backend, upTo: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* Migrator.make({})({
      loader: Migrator.fromRecord(
        Record.map(
          Record.filter(migrationsOf(backend), (_, id) => parseInt(id, 10) < upTo),
          (m) => m.run
        )
      ),
      table: "effect_sql_migrations"
    })
    return sql
  })

describe("the journal folds into the outbox", () => {
  it.scopedLive("journal entries of both databases move into their outbox in replay order and reach the shadow", () =>
    Effect.gen(function* () {
      const sqliteOptions = yield* tempSqlite({ migrate: false })
      const postgresOptions = yield* tempPostgres({ migrate: false })
      const toPostgres = [message("journaled-2"), message("journaled-1")]
      const toSqlite = message("journaled-pg")
      // The journal's version of the schema, with entries waiting (recorded out of order: replay follows recorded_at).
      yield* Effect.scoped(
        Effect.gen(function* () {
          const sqlite = yield* Layer.build(SqliteDatabase.layer(sqliteOptions))
          const s = yield* migratedBefore("sqlite", 5).pipe(
            Effect.provideService(
              SqlClient.SqlClient,
              (yield* Effect.provide(SqliteDatabase.SqliteDatabase, sqlite)).sql
            )
          )
          for (const [i, op] of toPostgres.entries()) {
            yield* s`INSERT INTO shadow_journal (target, operation, aggregate_key, payload, error, attempts, recorded_at)
              VALUES ('postgres', 'InsertMessage', ${`message:${op.row.id}`},
              ${JSON.stringify(op)}, 'connection refused', 5, ${2000 - i * 1000})`
          }
          const postgres = yield* Layer.build(PostgresDatabase.layer(postgresOptions))
          const p = yield* migratedBefore("postgres", 6).pipe(
            Effect.provideService(
              SqlClient.SqlClient,
              (yield* Effect.provide(PostgresDatabase.PostgresDatabase, postgres)).sql
            )
          )
          yield* p`INSERT INTO shadow_journal (target, operation, aggregate_key, payload, error, attempts, recorded_at)
            VALUES ('sqlite', 'InsertMessage', 'message:journaled-pg', ${JSON.stringify(toSqlite)}, 'busy', 1, 1000)`
        })
      )

      // The current version opens them: migrations move the journals into the outboxes.
      const layer = Layer.mergeAll(
        SqliteStoreLive.pipe(Layer.provideMerge(SqliteDatabase.layer({ ...sqliteOptions, migrate: true }))),
        PostgresStoreLive.pipe(Layer.provideMerge(PostgresDatabase.layer({ ...postgresOptions, migrate: true })))
      )
      const opened = yield* Layer.build(layer)
      const sqlite = yield* Effect.provide(SqliteStore, opened)
      const postgres = yield* Effect.provide(PostgresStore, opened)
      expect((yield* sqlite.outbox.read(0, 10)).map((e) => e.aggregateKey)).toEqual([
        "message:journaled-1",
        "message:journaled-2"
      ])
      expect((yield* postgres.outbox.read(0, 10)).map((e) => [e.seq, e.aggregateKey])).toEqual([
        [1, "message:journaled-pg"]
      ])
      const sqliteTables = yield* Effect.flatMap(
        rawSql("sqlite"),
        (sql) => sql<{ name: string }>`SELECT name FROM sqlite_master WHERE name = 'shadow_journal'`
      ).pipe(Effect.provide(opened))
      expect(sqliteTables).toEqual([])

      // A new write after them takes the next number, and the shadow gets the journaled writes too.
      const ctx = yield* Layer.build(modeOver(layer, Modes.sqliteShadowedToPostgres, testShadowOptions))
      const health = yield* Effect.provide(ShadowHealth, ctx)
      expect(yield* health.flush(Duration.seconds(20))).toBe(true)
      for (const op of toPostgres) expect(Option.isSome(yield* postgres.getMessageById(op.row.id))).toBe(true)
      yield* postgres.transaction(
        Effect.zipRight(postgres.apply(message("next")), postgres.outbox.append(message("next"), 3))
      )
      expect((yield* postgres.outbox.read(0, 10)).map((e) => e.seq)).toEqual([1, 2])
    })
  )
})
