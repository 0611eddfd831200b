/**
 * Writes the shadow can never take (issue 11, deliverable 6). A poison write (here: refused by a constraint the
 * shadow has and the primary lacks) becomes a dead letter with its reason; it holds back only its own aggregate
 * (whose later writes wait behind it, in order) and no other; verify and status name it; once the cause is fixed,
 * a replay applies the aggregate's history in order. A write whose row is missing on the shadow is a dead letter of
 * the same kind. U+0000 in user text behaves the same on both backends: removed before either stores it, counted,
 * so it is never poison. Before, a write with U+0000 stayed in the journal for ever and held its aggregate back.
 */
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Duration, Effect, Layer, Metric, Option } from "effect"
import * as Modes from "../../src/runtime/config/Mode.js"
import { nulRemoved } from "../../src/runtime/modes/NulText.js"
import { postgresBackend } from "../../src/runtime/modes/DatabaseLayer.js"
import { ShadowHealth } from "../../src/runtime/modes/ShadowHealth.js"
import { DocumentService } from "../../src/runtime/services/DocumentService.js"
import { MessageService } from "../../src/runtime/services/MessageService.js"
import { UserProfileService } from "../../src/runtime/services/UserProfileService.js"
import { PostgresStore, SqliteStore } from "../../src/runtime/store/Store.js"
import { renderStatusText } from "../../src/programs/status/RenderStatus.js"
import { status } from "../../src/programs/status/Status.js"
import { verify } from "../../src/programs/verify/Verify.js"
import { tempPostgres } from "../support/TestDatabases.js"
import { dumpTables, freshDatabases, modeOver, rawSql, unique } from "./support/ModeFixtures.js"

const countOf = (p: { readonly message_count: number | null }) => p.message_count

describe("dead letters", () => {
  it.scopedLive(
    "a poison write is a dead letter with its reason: other aggregates go on, verify and status name it, replay fixes it",
    () =>
      Effect.gen(function* () {
        const dbs = yield* freshDatabases
        const ctx = yield* Layer.build(modeOver(dbs.layer, Modes.sqliteShadowedToPostgres))
        const messages = yield* Effect.provide(MessageService, ctx)
        const profiles = yield* Effect.provide(UserProfileService, ctx)
        const health = yield* Effect.provide(ShadowHealth, ctx)
        const postgres = yield* Effect.provide(PostgresStore, ctx)
        const pg = yield* Effect.provide(rawSql("postgres"), ctx)
        // PostgreSQL refuses what SQLite takes: the shape of every poison write.
        yield* pg.unsafe(
          "ALTER TABLE messages ADD CONSTRAINT omega_test_no_poison CHECK (message_content NOT LIKE '%poison%')"
        )
        yield* pg.unsafe(
          "ALTER TABLE user_profiles ADD CONSTRAINT omega_test_no_poison_type CHECK (dominant_archetype <> 'poison')"
        )
        yield* profiles.createUserProfile({ userId: "ana", username: "Ana" })
        yield* profiles.createUserProfile({ userId: "bob", username: "Bob" })
        const before = yield* messages.saveHumanMessage({ userId: "ana", username: "Ana", content: "fine" })
        const poison = yield* messages.saveHumanMessage({ userId: "ana", username: "Ana", content: "a poison pill" })
        yield* profiles.updateUserProfile("ana", { dominant_archetype: "poison" })
        yield* profiles.incrementMessageCount("ana") // held: after the poison, in ana's order
        yield* profiles.updateUserProfile("bob", { dominant_archetype: "sage" })
        yield* profiles.incrementMessageCount("bob")
        const after = yield* messages.saveHumanMessage({ userId: "bob", username: "Bob", content: "also fine" })

        // Nothing blocks: the outbox drains, past the poison.
        expect(yield* health.flush(Duration.seconds(20))).toBe(true)
        const snapshot = yield* health.snapshot
        expect(snapshot).toMatchObject({ outboxDepth: 0, deadLetters: 3, heldAggregates: 1, inSync: false })
        expect(Option.isSome(yield* postgres.getMessageById(before.id))).toBe(true)
        expect(Option.isSome(yield* postgres.getMessageById(after.id))).toBe(true)
        expect(Option.isNone(yield* postgres.getMessageById(poison.id))).toBe(true)
        const bob = yield* postgres.getUserProfile("bob")
        expect(Option.map(bob, (p) => [p.dominant_archetype, p.message_count])).toEqual(Option.some(["sage", 1]))
        // Ana's later increment waits behind her poison update instead of overtaking it.
        expect(Option.map(yield* postgres.getUserProfile("ana"), countOf)).toEqual(Option.some(0))

        const letters = yield* postgres.replica.deadLetters()
        expect(letters.map((l) => [l.operation, l.aggregateKey])).toEqual([
          ["InsertMessage", `message:${poison.id}`],
          ["UpdateProfile", "profile:ana"],
          ["UpdateProfile", "profile:ana"]
        ])
        expect(letters[0]!.error).toContain("omega_test_no_poison")
        expect(letters[1]!.error).toContain("omega_test_no_poison_type")
        expect(letters[2]!.error).toMatch(/^held: an earlier write of this aggregate is a dead letter/)

        // verify and status name them.
        const dbLayers = Layer.succeedContext(ctx)
        const report = yield* verify({ primary: "sqlite", pageSize: 50, latencyRuns: 2, searchSamples: 2 }).pipe(
          Effect.provide(dbLayers)
        )
        const deadCheck = report.checks.find((c) => c.name === "shadow-dead-letters")!
        expect(deadCheck.status).toBe("fail")
        expect(deadCheck.figure).toContain("3 dead letters (3 in postgres from sqlite)")
        expect(deadCheck.details.join("\n")).toContain(`InsertMessage message:${poison.id}`)
        expect(deadCheck.details.join("\n")).toContain("omega_test_no_poison")
        const statusReport = yield* status({ sqlite: Option.some(dbs.sqliteFile), postgres: Option.none() }).pipe(
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["POSTGRES_URL", dbs.pgUrl]])))
        )
        expect(statusReport.outbox.deadLetters).toBe(3)
        const text = renderStatusText(statusReport)
        expect(text).toContain("sqlite → postgres: nothing waiting")
        expect(text).toContain("3 DEAD LETTERS")
        expect(text).toContain(`dead letter #`)
        expect(statusReport.migration.next).toContain("3 dead letters")

        // The cause fixed, a replay applies them in order and the databases agree.
        yield* pg.unsafe("ALTER TABLE messages DROP CONSTRAINT omega_test_no_poison")
        yield* pg.unsafe("ALTER TABLE user_profiles DROP CONSTRAINT omega_test_no_poison_type")
        const replayed = yield* health.replay
        expect(replayed).toMatchObject({ applied: 3, kept: 0, remaining: 0, failures: [] })
        expect(yield* health.snapshot).toMatchObject({ deadLetters: 0, heldAggregates: 0, inSync: true })
        yield* profiles.incrementMessageCount("ana")
        expect(yield* health.flush(Duration.seconds(20))).toBe(true)
        expect(Option.map(yield* postgres.getUserProfile("ana"), countOf)).toEqual(Option.some(2))
        expect(yield* Effect.provide(dumpTables("postgres"), ctx)).toEqual(
          yield* Effect.provide(dumpTables("sqlite"), ctx)
        )
      }),
    60_000
  )

  it.scopedLive("a write whose row is missing on the shadow is a dead letter, and replays once the row is there", () =>
    Effect.gen(function* () {
      const dbs = yield* freshDatabases
      const ctx = yield* Layer.build(modeOver(dbs.layer, Modes.sqliteShadowedToPostgres))
      const health = yield* Effect.provide(ShadowHealth, ctx)
      const documents = yield* Effect.provide(DocumentService, ctx)
      const sqlite = yield* Effect.provide(SqliteStore, ctx)
      const postgres = yield* Effect.provide(PostgresStore, ctx)
      // A document from before shadow writing began: in SQLite only.
      const now = 1_700_000_000
      const document = {
        id: unique("old-doc"),
        title: "Old",
        content: "",
        created_by: "ana",
        created_by_username: null,
        created_at: now,
        updated_at: now,
        is_public: true,
        metadata: null
      }
      const owner = {
        id: unique("old-owner"),
        document_id: document.id,
        user_id: "ana",
        username: null,
        role: "owner",
        joined_at: now
      }
      yield* sqlite.apply({ _tag: "CreateDocument", document, owner })
      yield* documents.updateDocumentContent(document.id, "edited after the import")
      yield* documents.updateDocumentTitle(document.id, "Renamed")
      expect(yield* health.flush(Duration.seconds(10))).toBe(true)
      const letters = yield* postgres.replica.deadLetters()
      expect(letters.map((l) => l.operation)).toEqual(["UpdateDocument", "UpdateDocument"])
      expect(letters[0]!.error).toMatch(/no row to change on postgres/)
      expect(yield* health.replay).toMatchObject({ applied: 0, kept: 2, remaining: 2 })

      // The import (or repair) brings the old row over; the replay then applies the edits in order.
      yield* postgres.apply({ _tag: "CreateDocument", document, owner }, { asReplica: true })
      expect(yield* health.replay).toMatchObject({ applied: 2, kept: 0, remaining: 0 })
      expect(Option.map(yield* postgres.getDocument(document.id), (d) => [d.title, d.content])).toEqual(
        Option.some(["Renamed", "edited after the import"])
      )
      expect(yield* Effect.provide(dumpTables("postgres"), ctx)).toEqual(
        yield* Effect.provide(dumpTables("sqlite"), ctx)
      )
    })
  )

  it.scopedLive("U+0000 in user text: removed and counted, the same on SQLite, PostgreSQL and the shadow", () =>
    Effect.gen(function* () {
      const removedBefore = (yield* Metric.value(Metric.tagged(nulRemoved, "operation", "InsertMessage"))).count
      const dbs = yield* freshDatabases
      const ctx = yield* Layer.build(modeOver(dbs.layer, Modes.sqliteShadowedToPostgres))
      const messages = yield* Effect.provide(MessageService, ctx)
      const health = yield* Effect.provide(ShadowHealth, ctx)
      const saved = yield* messages.saveHumanMessage({
        userId: "u",
        username: "u",
        content: "nul\u0000inside",
        metadata: { "k\u0000": ["v\u0000"] }
      })
      expect(yield* health.flush(Duration.seconds(10))).toBe(true)
      expect(yield* health.snapshot).toMatchObject({ deadLetters: 0, outboxDepth: 0 })
      const sqlite = yield* Effect.provide(SqliteStore, ctx)
      const postgres = yield* Effect.provide(PostgresStore, ctx)
      const stored = Option.getOrThrow(yield* sqlite.getMessageById(saved.id))
      expect([stored.message_content, stored.metadata]).toEqual(["nulinside", { k: ["v"] }])
      expect(yield* postgres.getMessageById(saved.id)).toEqual(Option.some(stored))

      // PostgreSQL alone (the bot's layer in phase 6) takes the same write, where it used to fail.
      const pgOnly = yield* Layer.build(postgresBackend(yield* tempPostgres()))
      const pgMessages = yield* Effect.provide(MessageService, pgOnly)
      const onPg = yield* pgMessages.saveHumanMessage({ userId: "u", username: "u", content: "nul\u0000inside" })
      expect(Option.map(yield* pgMessages.getMessageById(onPg.id), (m) => m.message_content)).toEqual(
        Option.some("nulinside")
      )
      const removedAfter = (yield* Metric.value(Metric.tagged(nulRemoved, "operation", "InsertMessage"))).count
      expect(removedAfter - removedBefore).toBe(2)
    })
  )
})
