/**
 * READ + SHADOW reads from PostgreSQL, which lags SQLite by the shadow queue. A caller still reads its own
 * writes: the read waits for the shadow watermark, and falls back to SQLite when the wait times out, when the
 * shadow is known to miss writes (journal), or when PostgreSQL fails.
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
  restorePostgres,
  testShadowOptions,
  unique
} from "./support/ModeFixtures.js"

const readsOf = Effect.map(
  Effect.flatMap(ShadowHealth, (h) => h.snapshot),
  (s) => ({ shadow: s.readsFromShadow, primary: s.readsFromPrimary })
)

/** The reads served since `before`: saveHumanMessage reads the user's previous messages for its analysis too. */
const readsSince = (before: { readonly shadow: number; readonly primary: number }) =>
  Effect.map(readsOf, (now) => ({ shadow: now.shadow - before.shadow, primary: now.primary - before.primary }))

describe("READ + SHADOW: read-your-writes", () => {
  it.scopedLive("a read waits for the shadow to catch up and is served by PostgreSQL", () =>
    Effect.gen(function* () {
      const dbs = yield* freshDatabases
      const ctx = yield* Layer.build(modeOver(dbs.layer, Modes.sqliteShadowedReadPostgres, testShadowOptions))
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
    "while the journal holds writes the shadow misses, reads go to the primary; after replay, back to PostgreSQL",
    () =>
      Effect.gen(function* () {
        const dbs = yield* freshDatabases
        const ctx = yield* Layer.build(modeOver(dbs.layer, Modes.sqliteShadowedReadPostgres))
        const messages = yield* Effect.provide(MessageService, ctx)
        const documents = yield* Effect.provide(DocumentService, ctx)
        const health = yield* Effect.provide(ShadowHealth, ctx)

        yield* cutPostgres(dbs.pgName)
        const doc = yield* documents.createDocument({ title: "during outage", createdBy: "ana" })
        const missed = yield* messages.saveHumanMessage({ userId: "ana", username: "a", content: "during outage" })
        expect(yield* health.flush(Duration.seconds(10))).toBe(true)
        expect((yield* health.snapshot).journalSize).toBe(2)
        // PostgreSQL is unreachable and misses the document: the primary answers.
        expect(Option.map(yield* documents.getDocument(doc.id), (d) => d.title)).toEqual(Option.some("during outage"))

        yield* restorePostgres(dbs.pgName)
        expect((yield* eventually(health.snapshot, (s) => !s.circuitOpen)).circuitOpen).toBe(false) // cooled down
        // Reachable again but still missing the document and the message: still the primary.
        expect(Option.isSome(yield* documents.getDocument(doc.id))).toBe(true)
        expect(yield* messages.getMessageById(missed.id)).toEqual(Option.some(missed))
        expect((yield* Effect.provide(readsOf, ctx)).shadow).toBe(0)

        yield* health.replay
        const saved = yield* messages.saveHumanMessage({ userId: "ana", username: "a", content: "after replay" })
        const afterSave = yield* Effect.provide(readsOf, ctx)
        expect(yield* messages.getMessageById(saved.id)).toEqual(Option.some(saved))
        expect(Option.isSome(yield* documents.getDocument(doc.id))).toBe(true)
        expect(yield* Effect.provide(readsSince(afterSave), ctx)).toEqual({ shadow: 2, primary: 0 })
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
      const afterSave = yield* Effect.provide(readsOf, ctx)
      yield* cutPostgres(dbs.pgName)
      expect(yield* messages.getMessageById(saved.id)).toEqual(Option.some(saved))
      expect(yield* Effect.provide(readsSince(afterSave), ctx)).toEqual({ shadow: 0, primary: 1 })
      yield* restorePostgres(dbs.pgName)
    })
  )
})
