/**
 * Reads what one database holds for `status`, through its SQL client and read-only: the bot's tables (and, on
 * SQLite, their legacy form), the schema migrations applied and pending, row counts, the shadow outbox (this
 * database as a primary) and the applied positions and dead letters (this database as a shadow).
 */
import type { SqlClient, SqlError } from "@effect/sql"
import { Clock, Effect } from "effect"
import type { Backend } from "../../runtime/domain/Errors.js"
import { type TableName, tables } from "../../runtime/domain/Tables.js"
import { inspectSchema } from "../data/SchemaForm.js"
import { migrationsOf, migrationsTable } from "../../runtime/schema/runSchemaMigrations.js"
import type { DatabaseState, OutboxState, ReplicaState } from "./StatusReport.js"

/** Dead letters listed per database. */
const deadLetterSample = 10

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

    const outbox: OutboxState | null =
      present.has("shadow_outbox") && present.has("shadow_outbox_origin")
        ? yield* Effect.gen(function* () {
            const [origin] = yield* sql<{ origin: string }>`SELECT origin FROM shadow_outbox_origin WHERE id = 1`
            const [summary] = yield* sql<{ head: number | string | null; n: number | string }>`SELECT
                MAX(seq) AS head, COUNT(*) AS n FROM shadow_outbox`
            const [oldest] = yield* sql<{ recorded_at: number | string }>`SELECT recorded_at FROM shadow_outbox
                ORDER BY seq LIMIT 1`
            const [lease] = yield* sql<{ holder: string; expires_at: number | string }>`SELECT holder, expires_at
                FROM shadow_applier_lease WHERE id = 1`
            const expiresAt = Number(lease?.expires_at ?? 0)
            const now = yield* Clock.currentTimeMillis
            return {
              origin: origin?.origin ?? "",
              head: Number(summary?.head ?? 0),
              entries: Number(summary?.n ?? 0),
              oldestRecordedAt: oldest === undefined ? null : Number(oldest.recorded_at),
              applier:
                lease !== undefined && lease.holder !== "" && expiresAt > now
                  ? { holder: lease.holder, expiresAt }
                  : null
            }
          })
        : null

    const replica: ReplicaState | null =
      present.has("shadow_applied") && present.has("shadow_dead_letters")
        ? yield* Effect.gen(function* () {
            const positions = yield* sql<{ origin: string; seq: number | string }>`SELECT origin, seq
                FROM shadow_applied`
            const counts = yield* sql<{ origin: string; n: number | string }>`SELECT origin, COUNT(*) AS n
                FROM shadow_dead_letters GROUP BY origin`
            const first = yield* sql<{
              origin: string
              seq: number | string
              operation: string
              aggregate_key: string
              error: string
            }>`SELECT origin, seq, operation, aggregate_key, error FROM shadow_dead_letters
                ORDER BY origin, seq LIMIT ${deadLetterSample}`
            return {
              applied: Object.fromEntries(positions.map((p) => [p.origin, Number(p.seq)])),
              deadLetters: Object.fromEntries(counts.map((c) => [c.origin, Number(c.n)])),
              firstDeadLetters: first.map((l) => ({
                origin: l.origin,
                seq: Number(l.seq),
                operation: l.operation,
                aggregateKey: l.aggregate_key,
                error: l.error
              }))
            }
          })
        : null

    return { missingTables, form, appliedMigrations: applied, pendingMigrations, rows, outbox, replica }
  })
