/**
 * READ + SHADOW reads from PostgreSQL, which lags SQLite by the outbox. A caller still reads its own writes: the
 * read waits until the shadow's position reaches the outbox's head, and falls back to SQLite when the wait times
 * out, when the shadow is unreachable or known to miss a write (a dead letter), or when PostgreSQL fails.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer, Option } from "effect"
import * as Modes from "../../src/runtime/config/Mode.js"
import { ShadowHealth } from "../../src/runtime/modes/ShadowHealth.js"
import { DocumentService } from "../../src/runtime/services/DocumentService.js"
import { MessageService } from "../../src/runtime/services/MessageService.js"
import { PostgresStore } from "../../src/runtime/store/Store.js"
import { eventually } from "./support/Eventually.js"
import {
  cutPostgres,
  freshDatabases,
  modeOver,
  postgresWriteControl,
  rawSql,
  restorePostgres,
  testShadowOptions,
  unique
} from "./support/ModeFixtures.js"

const readsOf = Effect.map(
  Effect.flatMap(ShadowHealth, (h) => h.snapshot),
  (s) => ({ shadow: s.readsFromShadow, primary: s.readsFromPrimary })
)

/** Reads use the shadow once this process applies to it and it holds every write. */
const applying = Effect.flatMap(ShadowHealth, (h) => eventually(h.snapshot, (s) => s.inSync))

/** The reads served since `before`: saveHumanMessage reads the user's previous messages for its analysis too. */
const readsSince = (before: { readonly shadow: number; readonly primary: number }) =>
  Effect.map(readsOf, (now) => ({ shadow: now.shadow - before.shadow, primary: now.primary - before.primary }))

describe("READ + SHADOW: read-your-writes", () => {
  it.scopedLive("a read waits for the shadow to catch up and is served by PostgreSQL", () =>
    Effect.gen(function* () {
      const dbs = yield* freshDatabases
      const ctx = yield* Layer.build(modeOver(dbs.layer, Modes.sqliteShadowedReadPostgres, testShadowOptions))
      yield* Effect.provide(applying, ctx)
      yield* Effect.flatMap(Effect.provide(postgresWriteControl, ctx), (c) => c.delay(150))
      const messages = yield* Effect.provide(MessageService, ctx)
      const postgres = yield* Effect.provide(PostgresStore, ctx)

      const saved = yield* messages.saveHumanMessage({ userId: unique("u"), username: "a", content: "mine" })
      const afterSave = yield* Effect.provide(readsOf, ctx)
      // Not in PostgreSQL yet: a naive read from PostgreSQL would miss it.
      expect(Option.isNone(yield* postgres.getMessageById(saved.id))).toBe(true)
      expect(yield* messages.getMessageById(saved.id)).toEqual(Option.some(saved))
      expect(yield* Effect.provide(readsSince(afterSave), ctx)).toEqual({ shadow: 1, primary: 0 })
      const count = yield* messages.getMessageCount({ userId: saved.user_id! })
      expect(count).toBe(1)
    })
  )

  it.scopedLive("when the wait times out the primary answers, so the write is still seen", () =>
    Effect.gen(function* () {
      const dbs = yield* freshDatabases
      const ctx = yield* Layer.build(
        modeOver(dbs.layer, Modes.sqliteShadowedReadPostgres, { ...testShadowOptions, readWait: Duration.millis(20) })
      )
      yield* Effect.flatMap(Effect.provide(postgresWriteControl, ctx), (c) => c.delay(500))
      const messages = yield* Effect.provide(MessageService, ctx)
      const saved = yield* messages.saveHumanMessage({ userId: unique("u"), username: "a", content: "mine" })
      const afterSave = yield* Effect.provide(readsOf, ctx)
      expect(yield* messages.getMessageById(saved.id)).toEqual(Option.some(saved))
      expect(yield* Effect.provide(readsSince(afterSave), ctx)).toEqual({ shadow: 0, primary: 1 })
    })
  )

  it.scopedLive(
    "while PostgreSQL is unreachable, or misses a write (a dead letter), reads go to the primary; then back to it",
    () =>
      Effect.gen(function* () {
        const dbs = yield* freshDatabases
        const ctx = yield* Layer.build(modeOver(dbs.layer, Modes.sqliteShadowedReadPostgres))
        const messages = yield* Effect.provide(MessageService, ctx)
        const documents = yield* Effect.provide(DocumentService, ctx)
        const health = yield* Effect.provide(ShadowHealth, ctx)
        yield* Effect.provide(applying, ctx)

        yield* cutPostgres(dbs.pgName)
        const doc = yield* documents.createDocument({ title: "during outage", createdBy: "ana" })
        const missed = yield* messages.saveHumanMessage({ userId: "ana", username: "a", content: "during outage" })
        // PostgreSQL is unreachable and misses the document: the primary answers.
        expect(Option.map(yield* documents.getDocument(doc.id), (d) => d.title)).toEqual(Option.some("during outage"))
        expect(yield* messages.getMessageById(missed.id)).toEqual(Option.some(missed))
        expect((yield* Effect.provide(readsOf, ctx)).shadow).toBe(0)

        yield* restorePostgres(dbs.pgName)
        expect(yield* health.flush(Duration.seconds(20))).toBe(true)
        yield* Effect.provide(applying, ctx)
        const back = yield* Effect.provide(readsOf, ctx)
        expect(Option.isSome(yield* documents.getDocument(doc.id))).toBe(true)
        expect(yield* messages.getMessageById(missed.id)).toEqual(Option.some(missed))
        expect(yield* Effect.provide(readsSince(back), ctx)).toEqual({ shadow: 2, primary: 0 })

        // A write PostgreSQL refuses: until it is replayed the shadow misses it, so the primary answers.
        const pg = yield* Effect.provide(rawSql("postgres"), ctx)
        yield* pg.unsafe("ALTER TABLE documents ADD CONSTRAINT omega_test_refuse CHECK (title <> 'refused')")
        yield* documents.updateDocumentTitle(doc.id, "refused")
        expect(yield* health.flush(Duration.seconds(20))).toBe(true)
        const dead = yield* Effect.provide(readsOf, ctx)
        expect(Option.map(yield* documents.getDocument(doc.id), (d) => d.title)).toEqual(Option.some("refused"))
        expect(yield* Effect.provide(readsSince(dead), ctx)).toEqual({ shadow: 0, primary: 1 })
        yield* pg.unsafe("ALTER TABLE documents DROP CONSTRAINT omega_test_refuse")
        expect(yield* health.replay).toMatchObject({ applied: 1, remaining: 0 })
        const replayed = yield* Effect.provide(readsOf, ctx)
        expect(Option.map(yield* documents.getDocument(doc.id), (d) => d.title)).toEqual(Option.some("refused"))
        expect(yield* Effect.provide(readsSince(replayed), ctx)).toEqual({ shadow: 1, primary: 0 })
      })
  )

  it.scopedLive("a read that fails on PostgreSQL is answered by the primary", () =>
    Effect.gen(function* () {
      const dbs = yield* freshDatabases
      const ctx = yield* Layer.build(modeOver(dbs.layer, Modes.sqliteShadowedReadPostgres))
      const messages = yield* Effect.provide(MessageService, ctx)
      const health = yield* Effect.provide(ShadowHealth, ctx)
      const saved = yield* messages.saveHumanMessage({ userId: unique("u"), username: "a", content: "x" })
      expect(yield* health.flush(Duration.seconds(10))).toBe(true)
      yield* Effect.provide(applying, ctx)
      const afterSave = yield* Effect.provide(readsOf, ctx)
      yield* cutPostgres(dbs.pgName)
      expect(yield* messages.getMessageById(saved.id)).toEqual(Option.some(saved))
      expect(yield* Effect.provide(readsSince(afterSave), ctx)).toEqual({ shadow: 0, primary: 1 })
      yield* restorePostgres(dbs.pgName)
    })
  )
})
