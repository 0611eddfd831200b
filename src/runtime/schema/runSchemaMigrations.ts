/**
 * Runs a dialect's schema migrations through @effect/sql's Migrator. The migrations are frozen text
 * (FrozenMigration.ts): what ran on a database is never edited, only appended to.
 *
 * Serialised across processes, so that two bots starting at once (a rolling deploy) both start. The Migrator alone
 * does not ensure it: on PostgreSQL it creates its table outside any lock (two creators race and one fails), and on
 * SQLite its transaction reads before it writes, so the second process either fails to upgrade its read to a write
 * or takes "already running" for "done" and starts on the old schema. Here the whole run is one transaction that
 * first takes a lock: a transaction-level advisory lock on PostgreSQL, SQLite's write lock (an IMMEDIATE
 * transaction). The second process waits for the first, then finds nothing pending.
 */
import { Migrator, SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Effect, Record } from "effect"
import { type Backend, StoreError } from "../domain/Errors.js"
import { postgresMigrations } from "./PostgresMigrations.js"
import { sqliteMigrations } from "./SqliteMigrations.js"

export const migrationsTable = "effect_sql_migrations"

const migrator = Migrator.make({})

export const migrationsOf = (backend: Backend) => (backend === "sqlite" ? sqliteMigrations : postgresMigrations)

/** Any constant no other code of the database takes as an advisory lock. */
const migrationLockKey = 7_160_422_430

/**
 * The lock, taken before the transaction's first statement. On PostgreSQL the Migrator's own table is created here
 * when missing (its definition, under the lock): the Migrator probes for it with a query that, failing inside a
 * transaction, would abort the transaction.
 */
const takeMigrationLock = (backend: Backend) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    backend === "postgres"
      ? Effect.zipRight(
          sql`SELECT pg_advisory_xact_lock(${sql.literal(String(migrationLockKey))})`,
          sql`CREATE TABLE IF NOT EXISTS ${sql(migrationsTable)} (
  migration_id integer primary key,
  created_at timestamp with time zone not null default now(),
  name text not null
)`
        )
      : SqliteClient.TypeId in sql
        ? // better-sqlite3's client opens deferred transactions only, and any first statement, even a CREATE TABLE
          // IF NOT EXISTS that does nothing, starts a read snapshot that can no longer become a write once another
          // process has committed. So the transaction, still empty, is ended and reopened IMMEDIATE: the write lock
          // is taken (waiting out the busy timeout) before anything is read. The client's COMMIT or ROLLBACK ends it.
          Effect.zipRight(sql.unsafe("COMMIT"), sql.unsafe("BEGIN IMMEDIATE"))
        : // libSQL's transactions are write transactions from their start already.
          Effect.void
  )

/** Applies the pending migrations; returns the ones that ran (empty when the schema was current). */
export const runSchemaMigrations = (
  backend: Backend
): Effect.Effect<ReadonlyArray<readonly [id: number, name: string]>, StoreError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql.withTransaction(
      Effect.zipRight(
        takeMigrationLock(backend),
        migrator({
          loader: Migrator.fromRecord(Record.map(migrationsOf(backend), (migration) => migration.run)),
          table: migrationsTable
        })
      )
    )
  ).pipe(
    Effect.mapError(
      (cause) =>
        new StoreError({
          backend,
          operation: "migrate schema",
          message: `${backend} schema migration failed: ${cause.message}`,
          cause
        })
    )
  )
