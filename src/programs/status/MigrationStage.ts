/**
 * Where the migration stands and what to do next, derived from what status read: the guide's phases in order
 * (schema, data, shadow, reads, primary, cleanup), the first one not done being the next step.
 */
import type {
  DatabaseState,
  MigrationState,
  ModeStatus,
  OutboxStatus,
  PostgresStatus,
  SqliteStatus
} from "./StatusReport.js"

const total = (state: DatabaseState) => Object.values(state.rows).reduce((n, rows) => n + (rows ?? 0), 0)

const nextForMode = (mode: ModeStatus): string | null => {
  if (!mode.valid) return "fix the mode variables (see above)"
  if (mode.shadow === null) {
    return mode.primary === "sqlite"
      ? "run omega-db verify, then set USE_POSTGRES_SHADOW=true (phase 4)"
      : "after 1-2 stable weeks: phase 7 cleanup (archive the SQLite file)"
  }
  if (mode.primary === "postgres") {
    return "after 1-2 stable weeks set USE_POSTGRES_SHADOW=false (phase 6), then phase 7 cleanup"
  }
  return mode.reads === "postgres"
    ? "once reads are correct and fast: USE_POSTGRES_PRIMARY=true with USE_POSTGRES_SHADOW=true (phase 6, rollback-safe)"
    : "once the outbox stays near empty and no dead letter appears: USE_POSTGRES_READ=true (phase 5)"
}

export const migrationStage = (parts: {
  readonly mode: ModeStatus
  readonly sqlite: SqliteStatus
  readonly postgres: PostgresStatus
  readonly outbox: OutboxStatus
}): MigrationState => {
  const { mode, sqlite, postgres, outbox } = parts
  if (postgres.state === "not-configured") {
    return {
      stage: "not started: PostgreSQL is not configured",
      next: "set POSTGRES_URL (or DATABASE_PUBLIC_URL / DATABASE_URL, or pass --postgres), then run omega-db schema"
    }
  }
  if (postgres.state !== "ok") {
    return {
      stage: "unknown: PostgreSQL could not be read",
      next:
        postgres.state === "invalid-config" ? "fix the PostgreSQL settings" : "check the URL and that the server is up"
    }
  }
  const pg = postgres.database
  if (pg.missingTables.length > 0 || pg.pendingMigrations.length > 0) {
    return { stage: "phase 1 (schema) not done on PostgreSQL", next: "run omega-db schema" }
  }
  const sqliteRows = sqlite.state === "ok" ? total(sqlite.database) : null
  const pgRows = total(pg)
  if (pgRows === 0 && (sqliteRows ?? 0) > 0) {
    return { stage: "phase 1 done; the data is not in PostgreSQL yet", next: "run omega-db copy (or export + import)" }
  }
  const rows =
    sqliteRows === null ? `${pgRows} rows in PostgreSQL` : `${pgRows} rows in PostgreSQL, ${sqliteRows} in SQLite`
  const stage = mode.valid ? `${mode.guidePhase} (${rows})` : `data copied (${rows})`
  if (outbox.deadLetters > 0) {
    return {
      stage,
      next: `fix the cause of the ${outbox.deadLetters} dead letters (listed above), then omega-db repair`
    }
  }
  const stuck = outbox.directions.find((d) => d.pending > 0 && d.applier === null)
  if (stuck !== undefined) {
    return {
      stage,
      next: `${stuck.pending} shadow writes wait for ${stuck.to} and no bot applies them: start the bot, or omega-db repair`
    }
  }
  return { stage, next: nextForMode(mode) }
}
