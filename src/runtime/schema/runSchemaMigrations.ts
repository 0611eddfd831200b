/**
 * Runs a dialect's schema migrations through @effect/sql's Migrator (one transaction; locked on PostgreSQL). The
 * migrations are frozen text (FrozenMigration.ts): what ran on a database is never edited, only appended to.
 */
import { Migrator, type SqlClient } from "@effect/sql"
import { Effect, Record } from "effect"
import { type Backend, StoreError } from "../domain/Errors.js"
import { postgresMigrations } from "./PostgresMigrations.js"
import { sqliteMigrations } from "./SqliteMigrations.js"

export const migrationsTable = "effect_sql_migrations"

const migrator = Migrator.make({})

export const migrationsOf = (backend: Backend) => (backend === "sqlite" ? sqliteMigrations : postgresMigrations)

/** Applies the pending migrations; returns the ones that ran (empty when the schema was current). */
export const runSchemaMigrations = (
  backend: Backend
): Effect.Effect<ReadonlyArray<readonly [id: number, name: string]>, StoreError, SqlClient.SqlClient> =>
  migrator({
    loader: Migrator.fromRecord(Record.map(migrationsOf(backend), (migration) => migration.run)),
    table: migrationsTable
  }).pipe(
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
