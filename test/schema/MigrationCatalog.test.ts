/**
 * Every migration applied to a fresh database (and, on SQLite, to both legacy forms found in the field) leaves
 * exactly the catalog in the committed snapshots. The snapshots were first written by the code that generated
 * migration 1 from the table registry, before the migrations were frozen as literal SQL: a database that ran
 * migrations 1–3 under that code has this catalog, so the frozen migrations must reproduce it line for line.
 * Under CI=true a missing snapshot fails instead of being written.
 */
import { describe, expect, it } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import Sqlite from "better-sqlite3"
import { Effect, Layer } from "effect"
import { join } from "node:path"
import * as PostgresDatabase from "../../src/runtime/layers/PostgresDatabase.js"
import * as SqliteDatabase from "../../src/runtime/layers/SqliteDatabase.js"
import { legacySchemaSql, legacySchemaSqlEarly } from "../../src/runtime/schema/LegacySchema.js"
import { runSchemaMigrations } from "../../src/runtime/schema/runSchemaMigrations.js"
import { tempDir, tempPostgres } from "../support/TestDatabases.js"
import { postgresCatalog, sqliteCatalog } from "./support/Catalog.js"

const matchesSnapshot = (actual: string, file: string) =>
  Effect.promise(() => expect(actual).toMatchFileSnapshot(`__snapshots__/catalog/${file}`))

/** Opens the file through the bot's own layer (which migrates it) and closes it again. */
const openSqlite = (filename: string) =>
  Effect.scoped(Layer.build(SqliteDatabase.layer({ filename, busyTimeoutMs: 5000, migrate: true })))

const sqliteForms = {
  empty: undefined,
  "legacy-full": legacySchemaSql,
  "legacy-early": legacySchemaSqlEarly
} as const

describe("the catalog after all schema migrations", () => {
  it.scoped("postgres: a fresh database", () =>
    Effect.gen(function* () {
      const options = yield* tempPostgres()
      const catalog = yield* Effect.flatMap(PostgresDatabase.PostgresDatabase, ({ sql }) =>
        Effect.provideService(postgresCatalog, SqlClient.SqlClient, sql)
      ).pipe(Effect.provide(PostgresDatabase.layer(options)))
      yield* matchesSnapshot(catalog, "postgres.txt")
    })
  )

  for (const [form, legacy] of Object.entries(sqliteForms)) {
    it.scoped(`sqlite: ${form === "empty" ? "a new file" : `a ${form} file`}`, () =>
      Effect.gen(function* () {
        const path = join(yield* tempDir, `${form}.db`)
        if (legacy !== undefined) {
          const db = new Sqlite(path)
          db.exec(legacy)
          db.close()
        }
        yield* openSqlite(path)
        yield* matchesSnapshot(sqliteCatalog(path), `sqlite-${form}.txt`)
      })
    )
  }
})

describe("a database already at the latest migration", () => {
  it.scoped("sqlite: reopening runs no migration and keeps every row and the catalog", () =>
    Effect.gen(function* () {
      const path = join(yield* tempDir, "current.db")
      const legacy = new Sqlite(path)
      legacy.exec(legacySchemaSqlEarly)
      legacy.close()
      yield* openSqlite(path)
      const db = new Sqlite(path)
      db.prepare(
        `INSERT INTO messages (id, timestamp, sender_type, user_id, username, message_content)
         VALUES ('m1', 1700000000001, 'human', 'u1', 'alice', 'kept pineapple words')`
      ).run()
      db.prepare(
        `INSERT INTO user_profiles (id, user_id, username, first_seen_at, last_interaction_at, cultural_background)
         VALUES ('p1', 'u1', 'alice', 1700000000, 1700000100, 'nordic')`
      ).run()
      db.prepare(
        `INSERT INTO shadow_outbox (aggregate_key, operation, payload, recorded_at)
         VALUES ('message:m1', 'InsertMessage', '{}', 1700000000000)`
      ).run()
      db.close()
      const rows = () => {
        const reader = new Sqlite(path, { readonly: true })
        const all = {
          messages: reader.prepare("SELECT * FROM messages").all(),
          profiles: reader.prepare("SELECT * FROM user_profiles").all(),
          outbox: reader.prepare("SELECT * FROM shadow_outbox").all(),
          fts: reader.prepare("SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'pineapple'").all()
        }
        reader.close()
        return all
      }
      const before = { rows: rows(), catalog: sqliteCatalog(path) }

      const ran = yield* Effect.flatMap(SqliteDatabase.SqliteDatabase, ({ sql }) =>
        Effect.provideService(runSchemaMigrations("sqlite"), SqlClient.SqlClient, sql)
      ).pipe(Effect.provide(SqliteDatabase.layer({ filename: path, busyTimeoutMs: 5000, migrate: true })))

      expect(ran).toEqual([])
      expect(before.rows.fts).toHaveLength(1)
      expect({ rows: rows(), catalog: sqliteCatalog(path) }).toEqual(before)
    })
  )

  it.scoped("postgres: migrating again runs nothing and keeps every row and the catalog", () =>
    Effect.gen(function* () {
      const options = yield* tempPostgres()
      yield* Effect.gen(function* () {
        const { sql } = yield* PostgresDatabase.PostgresDatabase
        yield* sql`INSERT INTO messages (id, timestamp, sender_type, user_id, username, message_content)
          VALUES ('m1', 1700000000001, 'human', 'u1', 'alice', 'kept pineapple words')`
        yield* sql`INSERT INTO shadow_outbox (seq, aggregate_key, operation, payload, recorded_at)
          VALUES (1, 'message:m1', 'InsertMessage', '{}', 1700000000000)`
        const rows = Effect.all({
          messages: sql`SELECT * FROM messages`,
          outbox: sql`SELECT * FROM shadow_outbox`,
          catalog: Effect.provideService(postgresCatalog, SqlClient.SqlClient, sql)
        })
        const before = yield* rows
        const ran = yield* Effect.provideService(runSchemaMigrations("postgres"), SqlClient.SqlClient, sql)
        expect(ran).toEqual([])
        expect(before.messages).toHaveLength(1)
        expect(yield* rows).toEqual(before)
      }).pipe(Effect.provide(PostgresDatabase.layer(options)))
    })
  )
})
