/**
 * Reads what one database holds for `status`, through its SQL client and read-only: the bot's tables (and, on
 * SQLite, their legacy form), the schema migrations applied and pending, row counts and the shadow journal.
 */
import type { SqlClient, SqlError } from "@effect/sql"
import { Effect } from "effect"
import type { Backend } from "../../runtime/domain/Errors.js"
import { type TableName, tables } from "../../runtime/domain/Tables.js"
import { inspectSchema } from "../data/SchemaForm.js"
import { migrationsOf, migrationsTable } from "../../runtime/schema/runSchemaMigrations.js"
import type { DatabaseState } from "./StatusReport.js"

const journalTable = "shadow_journal"

const tableNames = (sql: SqlClient.SqlClient, backend: Backend) =>
  (backend === "sqlite"
    ? sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`
    : sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = current_schema()`
  ).pipe(Effect.map((rows) => new Set(rows.map((r) => r.name))))

/** The legacy form, read from the columns as the migration programs read it. */
const sqliteForm = (sql: SqlClient.SqlClient, present: ReadonlySet<string>) =>
  Effect.gen(function* () {
    const columns = new Map<string, ReadonlyArray<string>>()
    for (const table of tables) {
      if (!present.has(table.name)) continue
      const rows = yield* sql<{ name: string }>`SELECT name FROM pragma_table_info(${table.name})`
      columns.set(
        table.name,
        rows.map((r) => r.name)
      )
    }
    const inspection = inspectSchema((table) => columns.get(table) ?? [])
    return inspection._tag === "Known" ? inspection.form : null
  })

export const readDatabaseState = (
  sql: SqlClient.SqlClient,
  backend: Backend
): Effect.Effect<DatabaseState, SqlError.SqlError> =>
  Effect.gen(function* () {
    const present = yield* tableNames(sql, backend)
    const missingTables: Array<TableName> = tables.filter((t) => !present.has(t.name)).map((t) => t.name)
    const form = backend === "sqlite" ? yield* sqliteForm(sql, present) : null

    const applied = present.has(migrationsTable)
      ? (yield* sql<{ migration_id: number | string; name: string }>`SELECT migration_id, name
          FROM ${sql(migrationsTable)} ORDER BY migration_id`).map((r) => `${Number(r.migration_id)}_${r.name}`)
      : []
    const pendingMigrations = Object.keys(migrationsOf(backend)).filter((name) => !applied.includes(name))

    const rows: Partial<Record<TableName, number>> = {}
    for (const table of tables) {
      if (!present.has(table.name)) continue
      const counted = yield* sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM ${sql(table.name)}`
      rows[table.name] = Number(counted[0]?.n ?? 0)
    }

    const journal = present.has(journalTable)
      ? yield* Effect.map(
          sql<{ target: string; n: number | string }>`SELECT target, COUNT(*) AS n FROM ${sql(journalTable)}
            GROUP BY target`,
          (byTarget) => ({
            sqlite: Number(byTarget.find((r) => r.target === "sqlite")?.n ?? 0),
            postgres: Number(byTarget.find((r) => r.target === "postgres")?.n ?? 0)
          })
        )
      : null

    return { missingTables, form, appliedMigrations: applied, pendingMigrations, rows, journal }
  })
