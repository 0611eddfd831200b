/**
 * The shadow fails and nothing is lost: the primary never sees an error, every write the shadow missed is in the
 * journal, and replaying the journal makes both databases identical. Covers an outage (connections killed and
 * refused), a blip (connections killed once: retries absorb it), a shadow missing a row, and a full queue.
 */
import type { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer, Option } from "effect"
import * as Modes from "../../src/runtime/config/Mode.js"
import { ShadowHealth } from "../../src/runtime/modes/ShadowHealth.js"
import * as ShadowJournal from "../../src/runtime/modes/ShadowJournal.js"
import { DocumentService } from "../../src/runtime/services/DocumentService.js"
import { UserProfileService } from "../../src/runtime/services/UserProfileService.js"
import { MessageService } from "../../src/runtime/services/MessageService.js"
import { PostgresStore, SqliteStore } from "../../src/runtime/store/Store.js"
import { eventually } from "./support/Eventually.js"
import {
  cutPostgres,
  dumpTables,
  freshDatabases,
  mixedWorkload,
  modeOver,
  postgresWriteControl,
  rawSql,
  restorePostgres,
  terminateConnections,
  testShadowOptions,
  unique
} from "./support/ModeFixtures.js"

const journalOf = (sqlite: SqlClient.SqlClient) => ShadowJournal.make(sqlite, "sqlite")

describe("a failing shadow loses nothing", () => {
  it.scopedLive(
    "PostgreSQL goes away mid-run: no primary error, every missed write journaled, replay makes the databases identical",
    () =>
      Effect.gen(function* () {
        const dbs = yield* freshDatabases
        const ctx = yield* Layer.build(modeOver(dbs.layer, Modes.sqliteShadowedToPostgres))
        const health = yield* Effect.provide(ShadowHealth, ctx)
        const journal = journalOf(yield* Effect.provide(rawSql("sqlite"), ctx))

        yield* Effect.provide(mixedWorkload(3, 3), ctx)
        expect(yield* health.flush(Duration.seconds(10))).toBe(true)
        expect((yield* health.snapshot).journaled).toBe(0)

        // Outage: kill every connection of the shadow and refuse new ones, while writes go on. Any primary
        // error fails the test (the workload's effects would fail).
        yield* cutPostgres(dbs.pgName)
        yield* Effect.provide(mixedWorkload(4, 4), ctx)
        expect(yield* health.flush(Duration.seconds(30))).toBe(true)

        const during = yield* health.snapshot
        expect(during.journaled).toBeGreaterThan(0)
        expect(during.unjournaled).toBe(0)
        expect(during.inSync).toBe(false)
        // Every write either reached the shadow or is in the journal.
        expect(during.succeeded + during.journaled).toBe(during.submitted)
        expect(yield* journal.size("postgres")).toBe(during.journaled)

        yield* restorePostgres(dbs.pgName)
        // Every row PostgreSQL lacks has its aggregate in the journal.
        const keys = yield* journal.aggregateKeys("postgres")
        const sqliteRows = yield* Effect.provide(dumpTables("sqlite"), ctx)
        const postgresRows = yield* Effect.provide(dumpTables("postgres"), ctx)
        const pgMessageIds = new Set(postgresRows["messages"]!.map((m) => (m as { id: string }).id))
        const missing = sqliteRows["messages"]!.map((m) => (m as { id: string }).id).filter(
          (id) => !pgMessageIds.has(id)
        )
        expect(missing.length).toBeGreaterThan(0)
        for (const id of missing) expect(keys.has(`message:${id}`)).toBe(true)

        // Healthy again: new writes flow (after the circuit cools down), then replay catches up.
        expect((yield* eventually(health.snapshot, (s) => !s.circuitOpen)).circuitOpen).toBe(false)
        yield* Effect.provide(mixedWorkload(2, 2), ctx)
        expect(yield* health.flush(Duration.seconds(10))).toBe(true)
        const result = yield* health.replay
        expect(result.applied).toBeGreaterThan(0)
        expect(result).toMatchObject({ kept: 0, remaining: 0, failures: [] })

        expect(yield* Effect.provide(dumpTables("postgres"), ctx)).toEqual(
          yield* Effect.provide(dumpTables("sqlite"), ctx)
        )
        const after = yield* health.snapshot
        expect(after).toMatchObject({ journalSize: 0, heldAggregates: 0, inSync: true })
      }),
    120_000
  )

  it.scopedLive(
    "connections killed once: transient errors are retried, nothing is journaled",
    () =>
      Effect.gen(function* () {
        const dbs = yield* freshDatabases
        const ctx = yield* Layer.build(
          modeOver(dbs.layer, Modes.sqliteShadowedToPostgres, {
            ...testShadowOptions,
            retryAttempts: 6,
            retryBaseDelay: Duration.millis(20)
          })
        )
        const health = yield* Effect.provide(ShadowHealth, ctx)
        const messages = yield* Effect.provide(MessageService, ctx)
        const writes = Effect.forEach(
          Array.from({ length: 300 }, (_, i) => i),
          (i) => messages.saveHumanMessage({ userId: `u${i % 7}`, username: "u", content: `m${i}` }),
          { concurrency: 4, discard: true }
        )
        yield* Effect.all([writes, Effect.delay(terminateConnections(dbs.pgName), Duration.millis(30))], {
          concurrency: 2
        })
        expect(yield* health.flush(Duration.seconds(20))).toBe(true)
        const snapshot = yield* health.snapshot
        expect(snapshot).toMatchObject({ journaled: 0, succeeded: 300, journalSize: 0 })
        expect(yield* Effect.provide(dumpTables("postgres"), ctx)).toEqual(
          yield* Effect.provide(dumpTables("sqlite"), ctx)
        )
      }),
    60_000
  )

  it.scopedLive("a shadow write that finds no row to change is journaled, and replays once the row exists", () =>
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
      const snapshot = yield* health.snapshot
      expect(snapshot).toMatchObject({ failed: 1, journaled: 2, journalSize: 2, inSync: false })
      const journal = journalOf(yield* Effect.provide(rawSql("sqlite"), ctx))
      const entries = yield* journal.list({ target: "postgres" })
      expect(entries.map((e) => [e.operation, e.aggregateKey])).toEqual([
        ["UpdateDocument", `document:${document.id}`],
        ["UpdateDocument", `document:${document.id}`]
      ])
      expect(entries[0]!.error).toMatch(/no row to change/)

      // Replay cannot apply them yet: kept, not lost.
      const early = yield* health.replay
      expect(early).toMatchObject({ applied: 0, kept: 2, remaining: 2 })
      // The import (or repair) brings the old row over; replay then applies the edits in order.
      yield* postgres.apply({ _tag: "CreateDocument", document, owner }, { asReplica: true })
      const late = yield* health.replay
      expect(late).toMatchObject({ applied: 2, kept: 0, remaining: 0 })
      const row = yield* postgres.getDocument(document.id)
      expect(Option.map(row, (d) => [d.title, d.content])).toEqual(Option.some(["Renamed", "edited after the import"]))
      expect(yield* Effect.provide(dumpTables("postgres"), ctx)).toEqual(
        yield* Effect.provide(dumpTables("sqlite"), ctx)
      )
    })
  )

  it.scopedLive(
    "a full queue journals instead of dropping or blocking, and one aggregate's history still replays in order",
    () =>
      Effect.gen(function* () {
        const dbs = yield* freshDatabases
        const ctx = yield* Layer.build(
          modeOver(dbs.layer, Modes.sqliteShadowedToPostgres, {
            ...testShadowOptions,
            queueCapacity: 5,
            lanes: 2,
            batchSize: 2
          })
        )
        const control = yield* Effect.provide(postgresWriteControl, ctx)
        yield* control.delay(15)
        const health = yield* Effect.provide(ShadowHealth, ctx)
        const profiles = yield* Effect.provide(UserProfileService, ctx)
        const messages = yield* Effect.provide(MessageService, ctx)
        yield* profiles.createUserProfile({ userId: "hot", username: "Hot" })
        let last = 0
        for (let i = 0; i < 60; i++) {
          last = yield* profiles.incrementMessageCount("hot")
          yield* messages.saveHumanMessage({ userId: "hot", username: "Hot", content: `m${i}` })
        }
        expect(last).toBe(60)
        expect(yield* health.flush(Duration.seconds(30))).toBe(true)
        const snapshot = yield* health.snapshot
        expect(snapshot.overflowed).toBeGreaterThan(0)
        expect(snapshot.unjournaled).toBe(0)
        expect(snapshot.succeeded + snapshot.journaled).toBe(snapshot.submitted)

        yield* control.delay(0)
        const result = yield* health.replay
        expect(result).toMatchObject({ kept: 0, remaining: 0 })
        const postgres = yield* Effect.provide(PostgresStore, ctx)
        const hot = yield* postgres.getUserProfile("hot")
        expect(Option.map(hot, (p) => p.message_count)).toEqual(Option.some(60))
        expect(yield* Effect.provide(dumpTables("postgres"), ctx)).toEqual(
          yield* Effect.provide(dumpTables("sqlite"), ctx)
        )
      }),
    60_000
  )
})
