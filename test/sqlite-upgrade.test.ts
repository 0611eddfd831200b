/**
 * Opening a legacy SQLite database as found in the field (both historical forms, no version table) upgrades it
 * in place: missing columns added, FTS5 triggers replaced and the index rebuilt, user data untouched.
 */
import { describe, expect, it } from "@effect/vitest"
import Sqlite from "better-sqlite3"
import { Effect, Layer, Option } from "effect"
import { join } from "node:path"
import { legacyLateProfileColumns, legacySchemaSql, legacySchemaSqlEarly } from "../src/runtime/schema/LegacySchema.js"
import * as SqliteDatabase from "../src/runtime/layers/SqliteDatabase.js"
import { sqliteBackend } from "../src/runtime/modes/DatabaseLayer.js"
import { MessageService } from "../src/runtime/services/MessageService.js"
import { UserProfileService } from "../src/runtime/services/UserProfileService.js"
import { tempDir } from "./support/TestDatabases.js"

type Form = "full" | "early"

/** A legacy file written the way the old bot wrote it: raw SQL through better-sqlite3, legacy triggers active. */
const writeLegacyDatabase = (path: string, form: Form) => {
  const db = new Sqlite(path)
  db.exec(form === "full" ? legacySchemaSql : legacySchemaSqlEarly)
  const insert = db.prepare(
    `INSERT INTO messages (id, timestamp, sender_type, user_id, username, message_content, metadata)
     VALUES (?, ?, ?, ?, ?, ?, ?)`
  )
  insert.run("m1", 1_700_000_000_001, "human", "u1", "alice", "original pineapple words", '{"k":"v"}')
  insert.run("m2", 1_700_000_000_002, "ai", "u1", "alice", "doomed banana sentence", null)
  insert.run("m3", 1_700_000_000_003, "human", "u2", "bob", "steady cucumber text", "not json at all")
  // The legacy triggers leave stale terms behind on UPDATE and DELETE:
  db.prepare("UPDATE messages SET message_content = 'replaced mango words' WHERE id = 'm1'").run()
  db.prepare("DELETE FROM messages WHERE id = 'm2'").run()
  db.prepare(
    `INSERT INTO user_profiles (id, user_id, username, first_seen_at, last_interaction_at, openness_score, feelings_json)
     VALUES ('p1', 'u1', 'alice', 1700000000, 1700000100, 77, '{"joy":1}')`
  ).run()
  db.prepare("INSERT INTO documents (id, title, created_by, is_public) VALUES ('d1', 'Doc', 'u1', NULL)").run()
  db.close()
}

const snapshotRows = (path: string) => {
  const db = new Sqlite(path, { readonly: true })
  const rows = {
    messages: db.prepare("SELECT * FROM messages ORDER BY id").all(),
    documents: db.prepare("SELECT * FROM documents ORDER BY id").all(),
    profiles: db
      .prepare("SELECT id, user_id, username, first_seen_at, openness_score, feelings_json FROM user_profiles")
      .all()
  }
  db.close()
  return rows
}

const ftsMatches = (path: string, word: string) => {
  const db = new Sqlite(path, { readonly: true })
  const ids = db
    .prepare("SELECT m.id FROM messages_fts f JOIN messages m ON m.rowid = f.rowid WHERE messages_fts MATCH ?")
    .all(`"${word}"`)
  const raw = db.prepare("SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?").all(`"${word}"`)
  db.close()
  return { ids, raw }
}

const options = (filename: string) => ({ filename, busyTimeoutMs: 5000, migrate: true })

describe("upgrading a legacy SQLite database", () => {
  for (const form of ["full", "early"] as const) {
    it.scoped(`${form} form: adds what is missing, keeps every row, fixes the FTS index`, () =>
      Effect.gen(function* () {
        const path = join(yield* tempDir, `legacy-${form}.db`)
        writeLegacyDatabase(path, form)
        const before = snapshotRows(path)
        // The legacy bug, as found in the field: the deleted row's words still match in the index.
        expect(ftsMatches(path, "banana").raw.length).toBe(1)

        yield* Effect.gen(function* () {
          const messages = yield* MessageService
          const profiles = yield* UserProfileService
          expect(Option.getOrThrow(yield* messages.getMessageById("m3")).metadata).toBe("not json at all")
          expect(Option.getOrThrow(yield* messages.getMessageById("m1")).metadata).toEqual({ k: "v" })
          const profile = Option.getOrThrow(yield* profiles.getUserProfile("u1"))
          expect(profile.openness_score).toBe(77)
          expect(profile.cultural_background).toBeNull()
          // The late columns exist now and take writes.
          yield* profiles.updateUserProfile("u1", { cultural_background: "nordic", world_model_adjustments: [1] })
        }).pipe(Effect.provide(sqliteBackend(options(path))))

        const after = snapshotRows(path)
        expect(after.messages).toEqual(before.messages)
        expect(after.documents).toEqual(before.documents)
        expect(after.profiles).toEqual(before.profiles)

        const db = new Sqlite(path, { readonly: true })
        const columns = (
          db.prepare("SELECT name FROM pragma_table_info('user_profiles')").all() as Array<{ name: string }>
        ).map((c) => c.name)
        const triggers = db
          .prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'messages_fts_%'")
          .all() as Array<{
          sql: string
        }>
        db.close()
        expect(columns).toHaveLength(116)
        expect(columns).toEqual(expect.arrayContaining([...legacyLateProfileColumns]))
        expect(triggers).toHaveLength(3)
        for (const t of triggers) expect(t.sql).not.toMatch(/DELETE FROM messages_fts/)

        // Rebuilt once: stale terms are gone, current ones match.
        expect(ftsMatches(path, "banana").raw).toEqual([])
        expect(ftsMatches(path, "pineapple").raw).toEqual([])
        expect(ftsMatches(path, "mango").ids).toEqual([{ id: "m1" }])
      })
    )
  }

  it.scoped("after the upgrade, UPDATE and DELETE keep the FTS index exact", () =>
    Effect.gen(function* () {
      const path = join(yield* tempDir, "legacy-fts.db")
      writeLegacyDatabase(path, "full")
      yield* Effect.gen(function* () {
        const messages = yield* MessageService
        const saved = yield* messages.saveHumanMessage({ userId: "u9", username: "z", content: "walrus umbrella" })
        expect((yield* messages.queryMessages({ searchText: "walrus" })).map((m) => m.id)).toEqual([saved.id])
      }).pipe(Effect.provide(sqliteBackend(options(path))))

      const db = new Sqlite(path)
      db.prepare(
        "UPDATE messages SET message_content = 'penguin parasol' WHERE message_content = 'walrus umbrella'"
      ).run()
      db.prepare("DELETE FROM messages WHERE id = 'm3'").run()
      db.close()
      expect(ftsMatches(path, "walrus").raw).toEqual([])
      expect(ftsMatches(path, "cucumber").raw).toEqual([])
      expect(ftsMatches(path, "penguin").raw).toHaveLength(1)
    })
  )

  it.scoped("opening twice runs the upgrade once (the rebuild is not repeated)", () =>
    Effect.gen(function* () {
      const path = join(yield* tempDir, "twice.db")
      writeLegacyDatabase(path, "early")
      const migrationsRan = Effect.gen(function* () {
        const { sql } = yield* SqliteDatabase.SqliteDatabase
        return yield* sql<{
          migration_id: number
        }>`SELECT migration_id FROM effect_sql_migrations ORDER BY migration_id`
      })
      const first = yield* migrationsRan.pipe(Effect.provide(SqliteDatabase.layer(options(path))))
      const second = yield* migrationsRan.pipe(Effect.provide(SqliteDatabase.layer(options(path))))
      expect(first.map((r) => r.migration_id)).toEqual([1, 2, 3, 4, 5, 6, 7])
      expect(second).toEqual(first)
    })
  )

  it.scoped("a new empty file gets the full schema, WAL mode and the busy timeout", () =>
    Effect.gen(function* () {
      const path = join(yield* tempDir, "nested", "dir", "fresh.db")
      const pragmas = yield* Effect.gen(function* () {
        const { sql } = yield* SqliteDatabase.SqliteDatabase
        const [journal] = yield* sql<{ journal_mode: string }>`PRAGMA journal_mode`
        const [busy] = yield* sql<{ timeout: number }>`PRAGMA busy_timeout`
        const tables = yield* sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
        return { journal: journal?.journal_mode, busy: busy?.timeout, tables: tables.map((t) => t.name) }
      }).pipe(Effect.provide(SqliteDatabase.layer({ ...options(path), busyTimeoutMs: 1234 })))
      expect(pragmas.journal).toBe("wal")
      expect(pragmas.busy).toBe(1234)
      expect(pragmas.tables).toEqual(
        expect.arrayContaining([
          "messages",
          "queries",
          "documents",
          "document_collaborators",
          "user_profiles",
          "user_analysis_history",
          "messages_fts",
          "shadow_outbox",
          "shadow_applied",
          "shadow_dead_letters"
        ])
      )
    })
  )

  it.scoped("a file that is not a database is a typed StoreError, not a crash", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const path = join(dir, "garbage.db")
      const { writeFileSync } = yield* Effect.promise(() => import("node:fs"))
      writeFileSync(path, "this is not a sqlite file at all, just text".repeat(100))
      const error = yield* Effect.flip(Layer.build(SqliteDatabase.layer(options(path))))
      expect(error._tag).toBe("StoreError")
      expect(error.backend).toBe("sqlite")
      expect(error.message).toContain(path)
    })
  )
})
