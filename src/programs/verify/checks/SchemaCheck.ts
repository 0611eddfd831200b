/**
 * "All tables exist": every table of the registry (and the replication tables, and SQLite's FTS table) is present
 * on both sides with all its columns, PostgreSQL's of the type the migrations give their kind (SQLite's declared
 * types never change, and its affinity stores any value anyway), and each side's recorded migrations are exactly
 * the ones this program ships (none pending, none unknown).
 */
import type { SqlClient, SqlError } from "@effect/sql"
import { Effect } from "effect"
import type { Backend } from "../../../runtime/domain/Errors.js"
import { tables } from "../../../runtime/domain/Tables.js"
import { pgColumnTypes, replicationTables } from "../../../runtime/schema/CurrentSchema.js"
import { migrationsOf, migrationsTable } from "../../../runtime/schema/runSchemaMigrations.js"
import type { Databases } from "../Databases.js"
import { check, type CheckResult } from "../VerifyReport.js"

interface SideSchema {
  readonly tables: ReadonlySet<string>
  readonly columns: (table: string) => ReadonlySet<string>
  /** The column's type as format_type() names it; undefined where types are not checked (SQLite). */
  readonly typeOf: (table: string, column: string) => string | undefined
}

const sqliteSchema = (sql: SqlClient.SqlClient): Effect.Effect<SideSchema, SqlError.SqlError> =>
  Effect.gen(function* () {
    const names = yield* sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`
    const columns = new Map<string, ReadonlySet<string>>()
    for (const table of tables) {
      const rows = yield* sql<{ name: string }>`SELECT name FROM pragma_table_info(${table.name})`
      columns.set(table.name, new Set(rows.map((r) => r.name)))
    }
    return {
      tables: new Set(names.map((r) => r.name)),
      columns: (t) => columns.get(t) ?? new Set(),
      typeOf: () => undefined
    }
  })

const postgresSchema = (sql: SqlClient.SqlClient): Effect.Effect<SideSchema, SqlError.SqlError> =>
  Effect.gen(function* () {
    const rows = yield* sql<{ table_name: string; column_name: string; data_type: string }>`SELECT table_name,
        column_name, data_type
      FROM information_schema.columns WHERE table_schema = current_schema()`
    const columns = new Map<string, Set<string>>()
    const types = new Map<string, string>()
    for (const row of rows) {
      const set = columns.get(row.table_name) ?? new Set<string>()
      set.add(row.column_name)
      columns.set(row.table_name, set)
      types.set(`${row.table_name}.${row.column_name}`, row.data_type)
    }
    return {
      tables: new Set(columns.keys()),
      columns: (t) => columns.get(t) ?? new Set(),
      typeOf: (t, c) => types.get(`${t}.${c}`)
    }
  })

/** The migrations this program ships, as the Migrator records them (`1_initial_schema` → 1, "initial_schema"). */
const expectedMigrations = (backend: Backend): ReadonlyArray<string> =>
  Object.keys(migrationsOf(backend)).sort((a, b) => parseInt(a, 10) - parseInt(b, 10))

const appliedMigrations = (sql: SqlClient.SqlClient) =>
  sql<{ migration_id: number | string; name: string }>`SELECT migration_id, name FROM ${sql(migrationsTable)}
    ORDER BY migration_id`.pipe(Effect.map((rows) => rows.map((r) => `${Number(r.migration_id)}_${r.name}`)))

interface SideFindings {
  readonly tablesPresent: number
  readonly migrationsApplied: number
  readonly migrationsExpected: number
  readonly problems: ReadonlyArray<string>
}

const inspect = (backend: Backend, sql: SqlClient.SqlClient): Effect.Effect<SideFindings, SqlError.SqlError> =>
  Effect.gen(function* () {
    const schema = yield* backend === "sqlite" ? sqliteSchema(sql) : postgresSchema(sql)
    const problems: Array<string> = []
    let tablesPresent = 0
    for (const table of tables) {
      if (!schema.tables.has(table.name)) {
        problems.push(`${backend}: table ${table.name} is missing`)
        continue
      }
      tablesPresent++
      const present = schema.columns(table.name)
      const missing = Object.keys(table.columns).filter((c) => !present.has(c))
      if (missing.length > 0) problems.push(`${backend}: ${table.name} lacks column(s) ${missing.join(", ")}`)
      // A column of another type loads or compares differently (BIGINT refuses the 24.5 NUMERIC keeps).
      const retyped = Object.entries(table.columns).flatMap(([name, column]) => {
        const actual = schema.typeOf(table.name, name)
        const expected = pgColumnTypes[column.kind]
        return actual === undefined || actual === expected ? [] : [`${name} is ${actual}, not ${expected}`]
      })
      if (retyped.length > 0) problems.push(`${backend}: ${table.name}: ${retyped.join("; ")}`)
    }
    const extraTables = backend === "sqlite" ? [...replicationTables, "messages_fts"] : replicationTables
    for (const name of extraTables) if (!schema.tables.has(name)) problems.push(`${backend}: table ${name} is missing`)

    const expected = expectedMigrations(backend)
    if (!schema.tables.has(migrationsTable)) {
      problems.push(
        `${backend}: no migrations table (${migrationsTable}): the schema was never migrated by this program`
      )
      return { tablesPresent, migrationsApplied: 0, migrationsExpected: expected.length, problems }
    }
    const applied = yield* appliedMigrations(sql)
    for (const m of expected) if (!applied.includes(m)) problems.push(`${backend}: migration ${m} is pending`)
    for (const m of applied) {
      if (!expected.includes(m)) problems.push(`${backend}: migration ${m} is unknown to this program (newer schema?)`)
    }
    const migrationsApplied = applied.filter((m) => expected.includes(m)).length
    return { tablesPresent, migrationsApplied, migrationsExpected: expected.length, problems }
  })

export const schemaCheck = (db: Databases): Effect.Effect<CheckResult, SqlError.SqlError> =>
  Effect.gen(function* () {
    const sqlite = yield* inspect("sqlite", db.sqlite)
    const postgres = yield* inspect("postgres", db.postgres)
    const problems = [...sqlite.problems, ...postgres.problems]
    const figure =
      `tables ${sqlite.tablesPresent}/${tables.length} (sqlite), ${postgres.tablesPresent}/${tables.length} (postgres); ` +
      `migrations ${sqlite.migrationsApplied}/${sqlite.migrationsExpected} (sqlite), ` +
      `${postgres.migrationsApplied}/${postgres.migrationsExpected} (postgres)`
    return check("schema", problems.length === 0 ? "pass" : "fail", figure, problems, {
      sqlite,
      postgres
    })
  })
