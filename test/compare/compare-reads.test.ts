/**
 * Compare reads between the real SQLite (primary) and the real PostgreSQL (candidate): what callers get, what
 * is counted and logged, and that nothing the candidate does reaches or slows the caller.
 */
import { describe, expect, it, layer } from "@effect/vitest"
import { Clock, Context, Deferred, Effect, Layer, Metric, Option, Ref } from "effect"
import { compareReadsErrorTotal, compareReadsMismatchTotal } from "../../src/runtime/compare/CompareReadsMetrics.js"
import { interceptReads } from "../../src/runtime/compare/ReadCall.js"
import * as ReadComparison from "../../src/runtime/compare/ReadComparison.js"
import { DocumentService } from "../../src/runtime/services/DocumentService.js"
import { MessageService } from "../../src/runtime/services/MessageService.js"
import { QueryService } from "../../src/runtime/services/QueryService.js"
import { singleStore } from "../../src/runtime/services/StoreRouter.js"
import { UserProfileService } from "../../src/runtime/services/UserProfileService.js"
import * as PostgresDatabase from "../../src/runtime/layers/PostgresDatabase.js"
import { PostgresStoreLive } from "../../src/runtime/layers/StoreLayers.js"
import { PostgresStore, SqliteStore, type Store } from "../../src/runtime/store/Store.js"
import { tempPostgres } from "../support/TestDatabases.js"
import { bothDatabases, capturingLogs, countingStore, slowStore, writingToBoth } from "./support/CompareFixtures.js"

let counter = 0
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`

/** Writes one row of every kind to both databases, through the services. */
const seed = (primary: Store, candidate: Store) =>
  Effect.gen(function* () {
    const messages = yield* MessageService
    const queries = yield* QueryService
    const docs = yield* DocumentService
    const profiles = yield* UserProfileService
    const userId = unique("user")
    const channelId = unique("chan")
    // Keys out of order on purpose: JSONB hands them back sorted, SQLite as written.
    const message = yield* messages.saveHumanMessage({
      userId,
      username: "Zoë",
      channelId,
      content: "the quick brown fox",
      metadata: { zebra: 1, a: { beta: [1, "two"], aa: null }, middle: true }
    })
    const query = yield* queries.saveQuery({ userId, username: "Zoë", queryText: "how many?", queryResult: [1] })
    const doc = yield* docs.createDocument({ title: "plan", createdBy: userId, metadata: { z: 1, a: 2 } })
    const friend = unique("friend")
    yield* docs.addCollaborator({ documentId: doc.id, userId: friend, username: "F" })
    yield* profiles.createUserProfile({ userId, username: "Zoë" })
    yield* profiles.updateUserProfile(userId, { message_count: 5, feelings_json: { joy: 0.5, anger: 0 } })
    yield* profiles.saveAnalysisHistory({ userId, feelingsSnapshot: { mood: "calm", at: [3, 2, 1] } })
    return { userId, channelId, message, query, doc, friend }
  }).pipe(Effect.provide(writingToBoth(primary, candidate)))

/** Every read of the Store, once, on keys that exist. */
const readEverything = (store: Store, keys: Effect.Effect.Success<ReturnType<typeof seed>>) =>
  Effect.all([
    store.getMessageById(keys.message.id),
    store.queryMessages({ channelId: keys.channelId, searchText: "fox" }),
    store.countMessages({ userId: keys.userId }),
    store.getQueryById(keys.query.id),
    store.recentQueries({ userId: keys.userId, limit: 10, offset: 0 }),
    store.countQueries(keys.userId),
    store.getDocument(keys.doc.id),
    store.listDocuments({ userId: keys.userId, limit: 10, offset: 0 }),
    store.countDocuments({ userId: keys.userId }),
    store.getCollaborators(keys.doc.id),
    store.hasDocumentAccess(keys.doc.id, keys.friend),
    store.getUserProfile(keys.userId),
    store.usersNeedingAnalysis({ minMessages: 5, limit: 1000 }),
    store.allUserProfiles({ limit: 1000, offset: 0 }),
    store.analysisHistory(keys.userId, 10)
  ])

const counterValue = (metric: typeof compareReadsMismatchTotal, operation: string) =>
  Effect.map(Metric.value(Metric.tagged(metric, "operation", operation)), (state) => state.count)

const stores = Effect.all({ sqlite: SqliteStore, postgres: PostgresStore })

describe("compare reads", () => {
  layer(bothDatabases, { timeout: 60_000, excludeTestServices: true })((it) => {
    it.scoped("identical databases: every read is compared and none differs, whatever the JSON key order", () =>
      Effect.gen(function* () {
        const { sqlite, postgres } = yield* stores
        const keys = yield* seed(sqlite, postgres)
        const comparison = yield* ReadComparison.make({ sampleRate: 1, maxInFlight: 100 })
        const compared = comparison.compareReads(sqlite, postgres)

        const answers = yield* readEverything(compared, keys)
        expect(answers).toEqual(yield* readEverything(sqlite, keys))
        // The test means something only if the backends really hand JSON keys back in different orders.
        const fromPostgres = Option.getOrThrow(yield* postgres.getMessageById(keys.message.id))
        expect(Object.keys(fromPostgres.metadata as object)).not.toEqual(Object.keys(keys.message.metadata as object))

        yield* comparison.awaitIdle
        const snapshot = yield* comparison.snapshot
        expect(snapshot).toMatchObject({
          compared: 15,
          mismatched: 0,
          transient: 0,
          errors: 0,
          skipped: 0,
          inFlight: 0
        })
        expect(Object.keys(snapshot.byOperation).sort()).toHaveLength(15)
      })
    )

    it.scoped(
      "a row changed on the candidate: the caller gets the primary's row, the mismatch is counted and logged",
      () =>
        Effect.gen(function* () {
          const { sqlite, postgres } = yield* stores
          const keys = yield* seed(sqlite, postgres)
          yield* postgres.apply({
            _tag: "UpdateDocument",
            id: keys.doc.id,
            set: { title: "edited on PostgreSQL only" }
          })
          const before = yield* counterValue(compareReadsMismatchTotal, "getDocument")

          const { value: comparison, entries } = yield* capturingLogs(
            ReadComparison.make({ sampleRate: 1, recheckAfter: "20 millis" })
          )
          const read = yield* comparison.compareReads(sqlite, postgres).getDocument(keys.doc.id)
          expect(Option.getOrThrow(read).title).toBe("plan")
          yield* comparison.awaitIdle

          const snapshot = yield* comparison.snapshot
          expect(snapshot.byOperation.getDocument).toMatchObject({ compared: 1, mismatched: 1 })
          expect(yield* counterValue(compareReadsMismatchTotal, "getDocument")).toBe(before + 1)
          const warning = entries.find((e) => e.message === "compare reads: the databases disagree")
          expect(warning?.level).toBe("WARN")
          expect(warning?.annotations).toMatchObject({
            operation: "getDocument",
            path: "$.some.title",
            primaryValue: '"plan"',
            candidateValue: '"edited on PostgreSQL only"',
            primary: "sqlite",
            candidate: "postgres",
            rechecked: true
          })
          expect(warning?.annotations["arguments"]).toContain(keys.doc.id)
        })
    )

    it.scoped("a difference gone on the recheck (replication lag) is transient, not a mismatch", () =>
      Effect.gen(function* () {
        const { sqlite, postgres } = yield* stores
        const keys = yield* seed(sqlite, postgres)
        yield* postgres.apply({ _tag: "UpdateDocument", id: keys.doc.id, set: { title: "not caught up yet" } })
        const firstRead = yield* Deferred.make<void>()
        const caughtUp = yield* Deferred.make<void>()
        const calls = yield* Ref.make(0)
        // The first read sees the stale row; the recheck waits until the test has let the candidate catch up.
        const lagging = interceptReads(postgres, (call) =>
          Effect.flatMap(
            Ref.getAndUpdate(calls, (n) => n + 1),
            (n) =>
              n === 0
                ? Effect.zipLeft(call.run(postgres), Deferred.succeed(firstRead, undefined))
                : Effect.zipRight(Deferred.await(caughtUp), call.run(postgres))
          )
        )
        const comparison = yield* ReadComparison.make({ sampleRate: 1, recheckAfter: "10 millis" })
        yield* comparison.compareReads(sqlite, lagging).getDocument(keys.doc.id)
        yield* Deferred.await(firstRead)
        yield* postgres.apply({ _tag: "UpdateDocument", id: keys.doc.id, set: { title: "plan" } })
        yield* Deferred.succeed(caughtUp, undefined)
        yield* comparison.awaitIdle
        expect((yield* comparison.snapshot).byOperation.getDocument).toMatchObject({
          compared: 1,
          mismatched: 0,
          transient: 1
        })
      })
    )

    it.scoped("sample rate 0: the candidate is never called and the primary store is used as is", () =>
      Effect.gen(function* () {
        const { sqlite, postgres } = yield* stores
        const keys = yield* seed(sqlite, postgres)
        const counted = yield* countingStore(postgres)
        const comparison = yield* ReadComparison.make({ sampleRate: 0 })
        const compared = comparison.compareReads(sqlite, counted.store)
        expect(compared).toBe(sqlite)
        yield* readEverything(compared, keys)
        yield* comparison.awaitIdle
        expect(yield* Ref.get(counted.calls)).toBe(0)
        expect(yield* comparison.snapshot).toMatchObject({ compared: 0, errors: 0, skipped: 0 })
        const router = singleStore(sqlite)
        expect(comparison.wrapRouter(router, counted.store)).toBe(router)
      })
    )

    it.scoped("a sample rate between 0 and 1 compares about that share of reads", () =>
      Effect.gen(function* () {
        const { sqlite, postgres } = yield* stores
        const keys = yield* seed(sqlite, postgres)
        const counted = yield* countingStore(postgres)
        const comparison = yield* ReadComparison.make({ sampleRate: 0.25, maxInFlight: 1000 })
        const compared = comparison.compareReads(sqlite, counted.store)
        yield* Effect.forEach(Array.from({ length: 400 }), () => compared.countMessages({ userId: keys.userId }), {
          discard: true
        })
        yield* comparison.awaitIdle
        const calls = yield* Ref.get(counted.calls)
        // Binomial(400, 0.25): mean 100, standard deviation 8.7.
        expect(calls).toBeGreaterThan(50)
        expect(calls).toBeLessThan(150)
        expect((yield* comparison.snapshot).compared).toBe(calls)
      })
    )

    it.scoped("a slow candidate never delays the caller", () =>
      Effect.gen(function* () {
        const { sqlite, postgres } = yield* stores
        const keys = yield* seed(sqlite, postgres)
        const comparison = yield* ReadComparison.make({ sampleRate: 1 })
        const compared = comparison.compareReads(sqlite, slowStore(postgres, "500 millis"))
        const start = yield* Clock.currentTimeMillis
        for (let i = 0; i < 5; i++) {
          expect(Option.getOrThrow(yield* compared.getDocument(keys.doc.id)).title).toBe("plan")
        }
        const answered = (yield* Clock.currentTimeMillis) - start
        yield* comparison.awaitIdle
        const compareDone = (yield* Clock.currentTimeMillis) - start
        expect(answered).toBeLessThan(400)
        expect(compareDone).toBeGreaterThanOrEqual(500)
        expect((yield* comparison.snapshot).byOperation.getDocument).toMatchObject({ compared: 5, mismatched: 0 })
      })
    )

    it.scoped("a candidate that does not answer in time is an error, and its slot is freed", () =>
      Effect.gen(function* () {
        const { sqlite, postgres } = yield* stores
        const keys = yield* seed(sqlite, postgres)
        const comparison = yield* ReadComparison.make({ sampleRate: 1, maxInFlight: 1, timeout: "50 millis" })
        yield* comparison.compareReads(sqlite, slowStore(postgres, "10 seconds")).getDocument(keys.doc.id)
        yield* comparison.awaitIdle
        yield* comparison.compareReads(sqlite, postgres).getDocument(keys.doc.id)
        yield* comparison.awaitIdle
        expect(yield* comparison.snapshot).toMatchObject({ compared: 1, errors: 1, skipped: 0, inFlight: 0 })
      })
    )

    it.scoped("too many comparisons in flight: sampled reads are skipped and counted, never queued", () =>
      Effect.gen(function* () {
        const { sqlite, postgres } = yield* stores
        const keys = yield* seed(sqlite, postgres)
        // A candidate that answers only when the test says so: the first comparisons stay in flight meanwhile.
        const gate = yield* Deferred.make<void>()
        const held = interceptReads(postgres, (call) => Effect.zipRight(Deferred.await(gate), call.run(postgres)))
        const comparison = yield* ReadComparison.make({ sampleRate: 1, maxInFlight: 2 })
        const compared = comparison.compareReads(sqlite, held)
        for (let i = 0; i < 10; i++) {
          expect(Option.getOrThrow(yield* compared.getUserProfile(keys.userId)).user_id).toBe(keys.userId)
        }
        expect(yield* comparison.snapshot).toMatchObject({ compared: 0, inFlight: 2, skipped: 8 })
        yield* Deferred.succeed(gate, undefined)
        yield* comparison.awaitIdle
        expect(yield* comparison.snapshot).toMatchObject({ compared: 2, skipped: 8, inFlight: 0 })
      })
    )

    it.scoped("a candidate that dies is counted as an error; the caller never sees it", () =>
      Effect.gen(function* () {
        const { sqlite, postgres } = yield* stores
        const keys = yield* seed(sqlite, postgres)
        const dying = interceptReads(postgres, () => Effect.die(new Error("driver bug")))
        const comparison = yield* ReadComparison.make({ sampleRate: 1 })
        const read = yield* comparison.compareReads(sqlite, dying).getMessageById(keys.message.id)
        expect(Option.getOrThrow(read).id).toBe(keys.message.id)
        yield* comparison.awaitIdle
        expect(yield* comparison.snapshot).toMatchObject({ compared: 0, errors: 1 })
      })
    )

    it.scoped("a read inside the primary's transaction never runs the candidate's query in that transaction", () =>
      Effect.gen(function* () {
        const { sqlite, postgres } = yield* stores
        const pg = yield* PostgresDatabase.PostgresDatabase
        const keys = yield* seed(sqlite, postgres)
        const comparison = yield* ReadComparison.make({ sampleRate: 1 })
        // PostgreSQL primary, SQLite candidate: a SQLite query picking up the PostgreSQL transaction would fail.
        const compared = comparison.compareReads(postgres, sqlite)
        yield* pg.sql.withTransaction(Effect.zipRight(compared.getMessageById(keys.message.id), comparison.awaitIdle))
        expect(yield* comparison.snapshot).toMatchObject({ compared: 1, mismatched: 0, errors: 0 })
      })
    )

    it.scoped("wrapRouter compares the router's reads and leaves its writes alone", () =>
      Effect.gen(function* () {
        const { sqlite, postgres } = yield* stores
        const keys = yield* seed(sqlite, postgres)
        const comparison = yield* ReadComparison.make({ sampleRate: 1 })
        const router = singleStore(sqlite)
        const wrapped = comparison.wrapRouter(router, postgres)
        expect(wrapped.write).toBe(router.write)
        expect(wrapped.read.apply).toBe(sqlite.apply)
        expect(wrapped.read.backend).toBe("sqlite")
        yield* wrapped.read.countQueries(keys.userId)
        yield* comparison.awaitIdle
        expect((yield* comparison.snapshot).byOperation.countQueries).toMatchObject({ compared: 1, mismatched: 0 })
      })
    )
  })

  it.live(
    "a candidate whose tables were dropped: the caller gets the primary's answer, the error is counted",
    () =>
      Effect.gen(function* () {
        const broken = yield* Layer.build(
          PostgresStoreLive.pipe(Layer.provideMerge(PostgresDatabase.layer(yield* tempPostgres())))
        )
        const candidate = Context.get(broken, PostgresStore)
        const healthy = yield* Layer.build(bothDatabases)
        const primary = Context.get(healthy, SqliteStore)
        const keys = yield* seed(primary, Context.get(healthy, PostgresStore))
        // The candidate was built and checked while healthy; now its schema is gone.
        yield* Context.get(broken, PostgresDatabase.PostgresDatabase).sql`DROP SCHEMA public CASCADE`.pipe(Effect.orDie)

        const before = yield* counterValue(compareReadsErrorTotal, "queryMessages")
        const { value: comparison, entries } = yield* capturingLogs(ReadComparison.make({ sampleRate: 1 }))
        const compared = comparison.compareReads(primary, candidate)
        const answer = yield* compared.queryMessages({ channelId: keys.channelId })
        expect(answer).toEqual(yield* primary.queryMessages({ channelId: keys.channelId }))
        expect(answer.map((m) => m.id)).toEqual([keys.message.id])
        yield* comparison.awaitIdle

        expect(yield* comparison.snapshot).toMatchObject({ compared: 0, mismatched: 0, errors: 1 })
        expect(yield* counterValue(compareReadsErrorTotal, "queryMessages")).toBe(before + 1)
        const warning = entries.find((e) => e.message === "compare reads: the candidate database failed")
        expect(warning?.annotations).toMatchObject({ operation: "queryMessages", candidate: "postgres" })
        expect(String(warning?.annotations["error"])).toMatch(/does not exist/)
      }).pipe(Effect.scoped),
    60_000
  )

  it.live(
    "a failing primary fails the caller as before, and nothing is compared",
    () =>
      Effect.gen(function* () {
        const healthy = yield* Layer.build(bothDatabases)
        const sqlite = Context.get(healthy, SqliteStore)
        const postgres = Context.get(healthy, PostgresStore)
        yield* Context.get(healthy, PostgresDatabase.PostgresDatabase).sql`DROP TABLE messages CASCADE`.pipe(
          Effect.orDie
        )
        const counted = yield* countingStore(sqlite)
        const comparison = yield* ReadComparison.make({ sampleRate: 1 })
        const error = yield* Effect.flip(comparison.compareReads(postgres, counted.store).getMessageById("any"))
        expect(error).toMatchObject({ _tag: "StoreError", backend: "postgres", operation: "getMessageById" })
        yield* comparison.awaitIdle
        expect(yield* Ref.get(counted.calls)).toBe(0)
        expect((yield* comparison.snapshot).compared).toBe(0)
      }).pipe(Effect.scoped),
    60_000
  )
})
