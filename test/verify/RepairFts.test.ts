/**
 * A SQLite file that lost its FTS5 table altogether: repair brings it back as the current schema has it (the
 * tokenizer of SQLite migration 4), not as the legacy schema had it, so SQLite keeps finding what PostgreSQL finds.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { databases } from "../../src/programs/verify/Databases.js"
import { repairFts } from "../../src/programs/repair/RepairFts.js"
import * as SqliteDatabase from "../../src/runtime/layers/SqliteDatabase.js"
import { sqliteFtsTable } from "../../src/runtime/schema/CurrentSchema.js"
import { freshDatabases, rawSql } from "./Fixtures.js"

describe("repair of a missing FTS5 table", () => {
  it.live("recreates it with the current tokenizer and indexes every message again", () =>
    Effect.gen(function* () {
      // "love🥰": the legacy tokenizer (Unicode 6.1) kept the emoji inside the word, the current one splits there.
      yield* rawSql(
        "sqlite",
        `INSERT INTO messages (id, timestamp, sender_type, message_content) VALUES ('m-1', 1, 'human', 'love🥰 it')`
      )
      yield* rawSql("sqlite", "DROP TABLE messages_fts")
      const db = yield* databases
      const report = yield* repairFts(db, false)
      expect(report.repaired).toBe(true)
      expect(report.problems.join("\n")).toContain("the FTS5 table messages_fts is missing")

      const { sql } = yield* SqliteDatabase.SqliteDatabase
      const created = yield* sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE name = 'messages_fts'`
      expect(created.map((row) => row.sql)).toEqual([sqliteFtsTable])
      expect((yield* db.sqliteStore.queryMessages({ searchText: "love" })).map((m) => m.id)).toEqual(["m-1"])
      const again = yield* repairFts(db, false)
      expect(again.problems).toEqual([])
    }).pipe(Effect.provide(freshDatabases()))
  )
})
