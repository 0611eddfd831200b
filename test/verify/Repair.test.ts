/** repair applies the outbox, copies what verify finds from the primary to the other side, and verify passes after. */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Message, messageColumns } from "../../src/runtime/domain/Message.js"
import { renderRepairText } from "../../src/programs/repair/RenderRepairReport.js"
import { repair } from "../../src/programs/repair/Repair.js"
import { databases } from "../../src/programs/verify/Databases.js"
import { verify } from "../../src/programs/verify/Verify.js"
import { tempDir } from "../support/TestDatabases.js"
import {
  checkOf,
  freshDatabases,
  plantSqliteOrphan,
  rawSql,
  seedBoth,
  seedOps,
  statuses,
  testOptions,
  plantLegacyFtsBug
} from "./Fixtures.js"

const tableReport = (report: { readonly tables: ReadonlyArray<{ readonly table: string }> }, table: string) =>
  report.tables.find((t) => t.table === table)

const newMessage = (id: string) =>
  Schema.decodeUnknownSync(Message)({
    ...Object.fromEntries(Object.keys(messageColumns).map((name) => [name, null])),
    id,
    timestamp: 1_700_000_500_000,
    sender_type: "human",
    user_id: "u-carol",
    username: "carol",
    message_content: "written while PostgreSQL was down",
    metadata: { topic: "general" }
  })

describe("repair", () => {
  it.live("copies a changed row back to the primary's version, and a second run changes nothing", () =>
    Effect.gen(function* () {
      yield* seedBoth
      yield* rawSql("postgres", "UPDATE messages SET message_content = 'tampered' WHERE id = 'm-05'")
      expect((yield* verify(testOptions)).ok).toBe(false)

      const report = yield* repair(testOptions)
      expect(tableReport(report, "messages")).toMatchObject({ copied: 1, copiedKeys: ["m-05"], unrepairable: 0 })
      expect(report.ok).toBe(true)
      expect(checkOf(report.verify, "content").status).toBe("pass")
      const db = yield* databases
      const restored = yield* db.postgresStore.getMessageById("m-05")
      expect(restored._tag === "Some" && restored.value.message_content).toBe("Remember the quarterly report deadline")

      const again = yield* repair(testOptions)
      expect(again.tables.every((t) => t.copied === 0 && t.deleted === 0)).toBe(true)
      expect(again.ok).toBe(true)
    }).pipe(Effect.provide(freshDatabases()))
  )

  it.live("verify names tallies that drifted from their rows, on either database, and repair recounts them", () =>
    Effect.gen(function* () {
      yield* seedBoth
      const db = yield* databases
      const before = yield* db.postgresStore.countMessages({ userId: "u-alice" })
      // A row written by a session with the triggers off (as a tool running as a replica would), and a tally
      // tampered with on SQLite.
      yield* rawSql(
        "postgres",
        "BEGIN; SET LOCAL omega.skip_tallies = 'on'; " +
          "UPDATE messages SET user_id = 'u-bob' WHERE id = (SELECT min(id) FROM messages WHERE user_id = 'u-alice'); COMMIT"
      )
      yield* rawSql("sqlite", "UPDATE row_tallies SET n = n + 3 WHERE dimension = 'messages.channel_id'")
      const tallies = checkOf(yield* verify(testOptions), "tallies")
      expect(tallies.status).toBe("fail")
      const details = tallies.details.join("\n")
      expect(details).toContain(
        `postgres: messages.user_id "u-alice" is tallied ${before}, its rows count ${before - 1}`
      )
      expect(details).toMatch(/sqlite: messages\.channel_id .* is tallied (\d+), its rows count/)

      const dry = yield* repair({ ...testOptions, dryRun: true })
      expect(dry.tallies.recounted).toEqual(["sqlite: messages", "postgres: messages"])
      expect(checkOf(dry.verify, "tallies").status).toBe("fail")

      const report = yield* repair(testOptions)
      expect(report.tallies.recounted).toEqual(["sqlite: messages", "postgres: messages"])
      expect(renderRepairText(report)).toContain("recounted: sqlite: messages, postgres: messages")
      expect(checkOf(report.verify, "tallies").status).toBe("pass")
      // The moved row was copied back from SQLite too (through the triggers): the count is the primary's again.
      expect(yield* db.postgresStore.countMessages({ userId: "u-alice" })).toBe(before)
    }).pipe(Effect.provide(freshDatabases()))
  )

  it.live("copies a missing row", () =>
    Effect.gen(function* () {
      yield* seedBoth
      yield* rawSql("postgres", "DELETE FROM queries WHERE id = 'q-2'")
      const report = yield* repair(testOptions)
      expect(tableReport(report, "queries")).toMatchObject({ copied: 1, copiedKeys: ["q-2"] })
      expect(statuses(report.verify)).toMatchObject({ "row-counts": "pass", content: "pass" })
      expect(report.ok).toBe(true)
    }).pipe(Effect.provide(freshDatabases()))
  )

  it.live("restores the FTS triggers and rebuilds the stale index", () =>
    Effect.gen(function* () {
      yield* seedBoth
      yield* plantLegacyFtsBug
      const db = yield* databases
      // The stale index still finds the old words on SQLite only.
      expect((yield* db.sqliteStore.queryMessages({ searchText: "migration party" })).map((m) => m.id)).toEqual([
        "m-01"
      ])
      expect((yield* db.sqliteStore.queryMessages({ searchText: "concurrency" })).map((m) => m.id)).toEqual(["m-02"])

      const report = yield* repair(testOptions)
      expect(report.fts.repaired).toBe(true)
      expect(checkOf(report.verify, "full-text-search").status).toBe("pass")
      expect(report.ok).toBe(true)
      expect(yield* db.sqliteStore.queryMessages({ searchText: "concurrency" })).toEqual([])
      expect((yield* db.sqliteStore.queryMessages({ searchText: "rewritten" })).map((m) => m.id)).toEqual(["m-02"])
    }).pipe(Effect.provide(freshDatabases()))
  )

  it.scopedLive("records an orphan PostgreSQL refuses as a reject, after which verify lists it and passes", () =>
    Effect.gen(function* () {
      yield* seedBoth
      yield* plantSqliteOrphan
      const dir = yield* tempDir
      const options = { ...testOptions, rejectsPath: dir }

      const report = yield* repair(options)
      expect(tableReport(report, "document_collaborators")).toMatchObject({ copied: 0, unrepairable: 1 })
      expect(report.unrepairable).toHaveLength(1)
      expect(report.unrepairable[0]).toMatchObject({ table: "document_collaborators", key: "dc-orphan" })
      expect(report.unrepairable[0]!.reason).toMatch(/foreign key/)
      const file = path.join(dir, "repair-rejects.jsonl")
      expect(report.rejectsRecorded).toEqual({ file, count: 1 })
      const recorded = fs
        .readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, unknown>)
      expect(recorded).toHaveLength(1)
      expect(recorded[0]).toMatchObject({ table: "document_collaborators", key: "dc-orphan", kind: "orphan" })
      expect(recorded[0]!["row"]).toMatchObject({ id: "dc-orphan", document_id: "d-gone", role: "editor" })

      // Known and listed: the checks warn with the key, and the run passes.
      expect(report.ok).toBe(true)
      expect(statuses(report.verify)).toMatchObject({ "row-counts": "warn", content: "warn", "foreign-keys": "warn" })
      expect(checkOf(report.verify, "foreign-keys").details.join("\n")).toContain("dc-orphan")
      expect(checkOf(report.verify, "row-counts").details.join("\n")).toContain("dc-orphan")
      // Without the rejects the same difference is a failure, never hidden.
      expect((yield* verify(testOptions)).ok).toBe(false)
      // Repairing again records nothing twice.
      const again = yield* repair(options)
      expect(again.rejectsRecorded).toBeUndefined()
      expect(fs.readFileSync(file, "utf8").trim().split("\n")).toHaveLength(1)
    }).pipe(Effect.provide(freshDatabases()))
  )

  it.live("applies the outbox before copying rows, and removes the dead letters the copy supersedes", () =>
    Effect.gen(function* () {
      yield* seedBoth
      const db = yield* databases
      // A write committed on SQLite two minutes ago with its outbox entry, and no applier since.
      const op = { _tag: "InsertMessage", row: newMessage("m-late") } as const
      yield* db.sqliteStore.transaction(
        Effect.zipRight(db.sqliteStore.apply(op), db.sqliteStore.outbox.append(op, Date.now() - 120_000))
      )
      // A document from before shadow writing, on SQLite only, and an edit PostgreSQL refused: no row to change.
      const created = seedOps.find((o) => o._tag === "CreateDocument")!
      if (created._tag !== "CreateDocument") throw new Error("no document in the seed")
      yield* db.sqliteStore.apply({
        ...created,
        document: { ...created.document, id: "d-old", title: "Renamed" },
        owner: { ...created.owner, id: "dc-old", document_id: "d-old" }
      })
      const edit = { _tag: "UpdateDocument", id: "d-old", set: { title: "Renamed" } } as const
      yield* db.postgresStore.replica.recordDeadLetters([
        {
          origin: yield* db.sqliteStore.outbox.origin,
          seq: 0,
          aggregateKey: "document:d-old",
          operation: "UpdateDocument",
          payload: JSON.stringify(edit),
          error: "no row to change on postgres: the row this write changes is missing there",
          recordedAt: 1,
          deadAt: 2
        }
      ])

      const before = yield* verify(testOptions)
      const outbox = checkOf(before, "shadow-outbox")
      expect(outbox.status).toBe("fail")
      expect(outbox.figure).toMatch(
        /^1 pending shadow writes \(1 from sqlite to postgres, the oldest waiting 1[23]\d(\.\d)? s\)/
      )
      const dead = checkOf(before, "shadow-dead-letters")
      expect(dead.status).toBe("fail")
      expect(dead.details).toEqual([
        "postgres dead letter #0 from sqlite: UpdateDocument document:d-old: no row to change on postgres: the row this write changes is missing there"
      ])
      expect(checkOf(before, "content").details).toContain("messages: missing on postgres: m-late")

      const report = yield* repair(testOptions)
      expect(report.shadow).toMatchObject({
        from: "sqlite",
        to: "postgres",
        pendingBefore: 1,
        applied: 1,
        pendingAfter: 0,
        deadLettersBefore: 1,
        replayed: 0,
        superseded: 1,
        deadLettersAfter: 0
      })
      // The outbox brought the message: nothing was left to copy; the old document was copied.
      expect(tableReport(report, "messages")).toMatchObject({ copied: 0 })
      expect(tableReport(report, "documents")).toMatchObject({ copied: 1 })
      expect(checkOf(report.verify, "shadow-outbox").figure).toBe("0 pending shadow writes")
      expect(checkOf(report.verify, "shadow-dead-letters").figure).toBe("0 dead letters")
      expect(report.ok).toBe(true)
      const text = renderRepairText(report)
      expect(text).toContain("outbox: 1 pending, 1 applied, 0 refused, 0 left")
      expect(text).toContain("dead letters: 1 before, 0 replayed, 1 superseded by the row copy, 0 left")
    }).pipe(Effect.provide(freshDatabases()))
  )

  it.live("never deletes rows only on the other side unless told to", () =>
    Effect.gen(function* () {
      yield* seedBoth
      const db = yield* databases
      yield* db.sqliteStore.apply({ _tag: "InsertMessage", row: newMessage("m-extra") })
      const options = { ...testOptions, primary: "postgres" as const }

      const kept = yield* repair(options)
      expect(tableReport(kept, "messages")).toMatchObject({ extra: 1, extraKeys: ["m-extra"], deleted: 0 })
      expect(kept.ok).toBe(false)
      expect(renderRepairText(kept)).toContain("1 only on sqlite, kept (use --delete-extra): m-extra")
      expect((yield* db.sqliteStore.getMessageById("m-extra"))._tag).toBe("Some")

      const deleted = yield* repair({ ...options, deleteExtra: true })
      expect(tableReport(deleted, "messages")).toMatchObject({ deleted: 1, deletedKeys: ["m-extra"] })
      expect(deleted.ok).toBe(true)
      expect((yield* db.sqliteStore.getMessageById("m-extra"))._tag).toBe("None")
    }).pipe(Effect.provide(freshDatabases()))
  )

  it.live("reports a row the other side refuses and still repairs the rest; a dry run changes nothing", () =>
    Effect.gen(function* () {
      yield* seedBoth
      // SQLite's type affinity keeps '' in an INTEGER column; PostgreSQL's BIGINT cannot take it.
      yield* rawSql("sqlite", "UPDATE queries SET result_count = '' WHERE id = 'q-1'")
      yield* rawSql("postgres", "UPDATE messages SET message_content = 'tampered' WHERE id = 'm-05'")

      const dry = yield* repair({ ...testOptions, dryRun: true })
      expect(tableReport(dry, "messages")).toMatchObject({ copied: 1, copiedKeys: ["m-05"] })
      expect(dry.ok).toBe(false)
      expect(checkOf(dry.verify, "content").details).toContain("messages: different: m-05 [message_content]")

      const report = yield* repair(testOptions)
      expect(tableReport(report, "messages")).toMatchObject({ copied: 1 })
      expect(tableReport(report, "queries")).toMatchObject({ copied: 0, unrepairable: 1 })
      expect(report.unrepairable[0]).toMatchObject({ table: "queries", key: "q-1" })
      expect(report.unrepairable[0]!.reason).toBe(`type mismatch: result_count holds "", not integer`)
      expect(report.ok).toBe(false)
      expect(checkOf(report.verify, "content").details).toEqual(["queries: different: q-1 [result_count]"])
    }).pipe(Effect.provide(freshDatabases()))
  )
})
