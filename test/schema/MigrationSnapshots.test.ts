/**
 * The schema migrations are frozen: their exact text is pinned by committed .sql snapshots, so an edit of an
 * applied migration fails here instead of silently giving fresh and existing databases different schemas. (Under
 * CI=true a missing or changed snapshot fails rather than being written.) Also checked: what each migration runs
 * is its declared text, nothing the registry or the store holds leaks in, and the store's search expression is
 * the one the frozen GIN index is built on (otherwise the planner cannot use the index).
 */
import { describe, expect, it } from "@effect/vitest"
import { SqlClient, Statement } from "@effect/sql"
import Sqlite from "better-sqlite3"
import { Effect } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import type { Backend } from "../../src/runtime/domain/Errors.js"
import * as PostgresDatabase from "../../src/runtime/layers/PostgresDatabase.js"
import * as SqliteDatabase from "../../src/runtime/layers/SqliteDatabase.js"
import { pgSearchIndexName, sqliteFtsTriggerNames, sqliteFtsTriggers } from "../../src/runtime/schema/CurrentSchema.js"
import type { FrozenMigration } from "../../src/runtime/schema/FrozenMigration.js"
import {
  legacyLateProfileColumns,
  legacySchemaSql,
  legacySchemaSqlEarly
} from "../../src/runtime/schema/LegacySchema.js"
import { migrationsOf } from "../../src/runtime/schema/runSchemaMigrations.js"
import { pgSearchVector } from "../../src/runtime/store/SqlStore.js"
import { tempDir, tempPostgres } from "../support/TestDatabases.js"

const backends: ReadonlyArray<Backend> = ["postgres", "sqlite"]

/** In the Migrator's order (by numeric id). */
const migrationList = (backend: Backend): ReadonlyArray<readonly [string, FrozenMigration]> =>
  Object.entries(migrationsOf(backend)).sort(([a], [b]) => parseInt(a, 10) - parseInt(b, 10))

const render = (backend: Backend): string =>
  migrationList(backend)
    .map(([id, migration]) => [`-- ${backend} ${id}`, ...migration.statements.map((s) => `${s};`)].join("\n"))
    .join("\n\n") + "\n"

describe("frozen migration text", () => {
  for (const backend of backends) {
    it(`${backend}: every migration's statements match the committed snapshot`, async () => {
      await expect(render(backend)).toMatchFileSnapshot(`__snapshots__/migrations/${backend}.sql`)
    })
  }

  it("the store searches with the expression the current GIN index is built on", () => {
    const creates = migrationList("postgres")
      .flatMap(([, migration]) => migration.statements)
      .filter((s) => new RegExp(`^CREATE INDEX (IF NOT EXISTS )?${pgSearchIndexName} `).test(s))
    // The last migration to (re)create the index decides its expression.
    expect(creates.at(-1)).toBe(
      `CREATE INDEX IF NOT EXISTS ${pgSearchIndexName} ON messages USING GIN (${pgSearchVector})`
    )
  })

  it("no migration module imports the registry, the store or the current-schema expectations", () => {
    const schemaDir = fileURLToPath(new URL("../../src/runtime/schema/", import.meta.url))
    const frozen = ["postgres", "sqlite"].flatMap((dir) => readdirSync(join(schemaDir, dir)).map((f) => `${dir}/${f}`))
    expect(frozen.length).toBe(17)
    for (const file of [...frozen, "FrozenMigration.ts"]) {
      const imports = [...readFileSync(join(schemaDir, file), "utf8").matchAll(/from "([^"]+)"/g)].map((m) => m[1])
      expect(imports.filter((i) => !["@effect/sql", "effect", "../FrozenMigration.js"].includes(i ?? ""))).toEqual([])
    }
    for (const file of readdirSync(schemaDir).filter((f) => f.endsWith(".ts"))) {
      expect(readFileSync(join(schemaDir, file), "utf8")).not.toMatch(/from "\.\.\/store\//)
    }
  })
})

/** Runs each migration's own effect in order, recording every statement it sends. */
const runRecorded = (backend: Backend) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const ran: Record<string, Array<string>> = {}
    for (const [id, migration] of migrationList(backend)) {
      const log: Array<string> = []
      ran[id] = log
      yield* sql.withTransaction(migration.run).pipe(
        Statement.withTransformer((statement) => {
          log.push(statement.compile()[0])
          return Effect.succeed(statement)
        })
      )
    }
    return ran
  })

const isAddColumn = (statement: string) => statement.startsWith("ALTER TABLE user_profiles ADD COLUMN ")

describe("what the migrations run is their frozen text", () => {
  it.scoped("postgres: a fresh database runs every statement, in order", () =>
    Effect.gen(function* () {
      const options = yield* tempPostgres({ migrate: false })
      const ran = yield* Effect.flatMap(PostgresDatabase.PostgresDatabase, ({ sql }) =>
        Effect.provideService(runRecorded("postgres"), SqlClient.SqlClient, sql)
      ).pipe(Effect.provide(PostgresDatabase.layer(options)))
      expect(ran).toEqual(Object.fromEntries(migrationList("postgres").map(([id, m]) => [id, m.statements])))
    })
  )

  const forms = { empty: undefined, "legacy-full": legacySchemaSql, "legacy-early": legacySchemaSqlEarly } as const
  for (const [form, legacy] of Object.entries(forms)) {
    it.scoped(`sqlite ${form}: every statement but the ADD COLUMNs of columns the file has`, () =>
      Effect.gen(function* () {
        const path = join(yield* tempDir, `${form}.db`)
        if (legacy !== undefined) {
          const db = new Sqlite(path)
          db.exec(legacy)
          db.close()
        }
        const ran = yield* Effect.flatMap(SqliteDatabase.SqliteDatabase, ({ sql }) =>
          Effect.provideService(runRecorded("sqlite"), SqlClient.SqlClient, sql)
        ).pipe(Effect.provide(SqliteDatabase.layer({ filename: path, busyTimeoutMs: 5000, migrate: false })))
        const lacking: ReadonlyArray<string> = form === "legacy-early" ? legacyLateProfileColumns : []
        const expected = migrationList("sqlite").map(([id, m]) => [
          id,
          m.statements.filter((s) => !isAddColumn(s) || lacking.some((c) => s.includes(`"${c}" `)))
        ])
        expect(ran).toEqual(Object.fromEntries(expected))
        expect((ran["1_legacy_baseline"] ?? []).filter(isAddColumn)).toHaveLength(lacking.length)
      })
    )
  }
})

describe("the current-schema expectations hold after all migrations", () => {
  it.scoped("sqlite: the FTS triggers are exactly CurrentSchema's", () =>
    Effect.gen(function* () {
      const path = join(yield* tempDir, "current.db")
      const legacy = new Sqlite(path)
      legacy.exec(legacySchemaSql)
      legacy.close()
      const triggers = yield* Effect.flatMap(
        SqliteDatabase.SqliteDatabase,
        ({ sql }) => sql<{ name: string; sql: string }>`SELECT name, sql FROM sqlite_master
          WHERE type = 'trigger' AND name LIKE 'messages_fts_%'`
      ).pipe(Effect.provide(SqliteDatabase.layer({ filename: path, busyTimeoutMs: 5000, migrate: true })))
      expect(triggers.map((t) => t.name).sort()).toEqual([...sqliteFtsTriggerNames].sort())
      expect(triggers.map((t) => t.sql).sort()).toEqual([...sqliteFtsTriggers].sort())
    })
  )

  it.scoped("postgres: the full-text index exists and is a GIN index on messages", () =>
    Effect.gen(function* () {
      const options = yield* tempPostgres()
      const rows = yield* Effect.flatMap(
        PostgresDatabase.PostgresDatabase,
        ({ sql }) => sql<{ tablename: string; indexdef: string }>`SELECT tablename, indexdef FROM pg_indexes
          WHERE schemaname = current_schema() AND indexname = ${pgSearchIndexName}`
      ).pipe(Effect.provide(PostgresDatabase.layer(options)))
      expect(rows).toHaveLength(1)
      expect(rows[0]?.tablename).toBe("messages")
      // Since migration 7 the index covers a stored column, generated from messages_search_vector (migration 5),
      // which folds the text as SQLite's FTS5 table does.
      expect(rows[0]?.indexdef).toMatch(/USING gin \(search_vector\)/)
      const generated = yield* Effect.flatMap(
        PostgresDatabase.PostgresDatabase,
        ({ sql }) => sql<{ is_generated: string; generation_expression: string }>`SELECT is_generated,
            generation_expression FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = 'messages' AND column_name = 'search_vector'`
      ).pipe(Effect.provide(PostgresDatabase.layer(options)))
      expect(generated).toEqual([
        {
          is_generated: "ALWAYS",
          generation_expression: "messages_search_vector(message_content, tool_name, username)"
        }
      ])
    })
  )
})
