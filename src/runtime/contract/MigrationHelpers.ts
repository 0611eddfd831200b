/**
 * The original's migration helpers (contract §4.5, §5.6) over this package's programs: `exportAllTables` writes
 * `./migration-data` with the export program, `importAllTables` loads it into PostgreSQL with the import program
 * (verified first, rejected rows reported instead of nulled, F19), `initializePostgresSchema` applies the PostgreSQL
 * migrations. The programs live behind "@repo/database/migrate" and are loaded on the first call, so importing the
 * package root (the bot at start-up) does not load them.
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import { Cause, ConfigError, Data, Effect, Exit } from "effect"
import { resolve } from "node:path"
import type * as Migrate from "../../migrate.js"
import { postgresOptions, sqliteOptions } from "../config/DatabaseConfig.js"
import { DatabaseConfigError } from "../facade/Promised.js"
import * as PostgresDatabase from "../layers/PostgresDatabase.js"

/** The original's export directory, relative to the working directory when a helper is called. */
export const migrationDataDir = "migration-data"

/** An import that finished with rows PostgreSQL refused: they are in the rejects file, not silently lost. */
export class MigrationIncomplete extends Data.TaggedError("MigrationIncomplete")<{
  readonly rejected: number
  readonly rejectsFile: string | null
}> {
  override get message() {
    return `${this.rejected} rows were not imported; they are listed with their reasons in ${this.rejectsFile ?? "the rejects file"}`
  }
}

let programs: Promise<typeof Migrate> | undefined

/** The migrate entry point, imported once, on the first helper call. */
const loadPrograms = (): Promise<typeof Migrate> => {
  const loading = (programs ??= import("../../migrate.js"))
  // A failed import (a broken install) is not cached: the next call tries again.
  loading.catch(() => {
    if (programs === loading) programs = undefined
  })
  return loading
}

const run = <A, E>(effect: Effect.Effect<A, E>): Promise<A> =>
  Effect.runPromiseExit(
    effect.pipe(
      Effect.mapError((error) =>
        ConfigError.isConfigError(error)
          ? new DatabaseConfigError({ message: `invalid database configuration: ${String(error)}`, cause: error })
          : error
      )
    )
  ).then((exit) => {
    if (Exit.isSuccess(exit)) return exit.value
    throw Cause.squash(exit.cause)
  })

/**
 * Every table of the configured SQLite database to `./migration-data` (JSON Lines files and `_metadata.json`, the
 * format `importAllTables` and `omega-db import` read), replacing an earlier export there as the original did. The
 * database is only read. A Turso database is refused: the export streams a local file page by page with
 * better-sqlite3, which cannot read libSQL over the network.
 */
export async function exportAllTables(): Promise<void> {
  const migrate = await loadPrograms()
  return run(
    Effect.gen(function* () {
      const sqlite = yield* sqliteOptions
      // A Turso database is read from a consistent snapshot in a temporary file, deleted when the export ends.
      const summary = yield* migrate
        .exportData({ outDir: resolve(migrationDataDir), force: true })
        .pipe(Effect.provide(migrate.TursoSnapshot.sourceLayer(sqlite)))
      yield* Effect.forEach(summary.warnings, (warning) => Effect.logWarning(warning), { discard: true })
      yield* Effect.logInfo(`exported ${summary.source} to ${summary.outDir}`).pipe(
        Effect.annotateLogs(Object.fromEntries(summary.tables.map((table) => [table.name, table.rows])))
      )
    })
  )
}

/**
 * `./migration-data` into the configured PostgreSQL (POSTGRES_URL, else DATABASE_PUBLIC_URL, else DATABASE_URL),
 * parents first, verified against its metadata before anything is written. A rerun skips the rows already there.
 * Its schema is applied on open unless POSTGRES_AUTO_MIGRATE=false. Rejects with `MigrationIncomplete` when rows
 * were refused (they are in `migration-rejects.jsonl`), with the import error when the load could not run.
 */
export async function importAllTables(): Promise<void> {
  const migrate = await loadPrograms()
  return run(
    Effect.gen(function* () {
      const verified = yield* migrate.verifyExport(resolve(migrationDataDir))
      const postgres = yield* postgresOptions
      // As `omega-db import`: two connections for each of the three table jobs, and two for index builds.
      const summary = yield* migrate
        .loadExport(verified)
        .pipe(Effect.provide(PostgresDatabase.layer({ ...postgres, poolSize: Math.max(postgres.poolSize, 8) })))
      yield* Effect.forEach(summary.warnings, (warning) => Effect.logWarning(warning), { discard: true })
      yield* Effect.logInfo(`imported ${summary.source} into ${summary.target}`).pipe(
        Effect.annotateLogs({
          inserted: summary.totals.written,
          skipped: summary.totals.skipped,
          rejected: summary.totals.rejected
        })
      )
      if (summary.totals.rejected > 0) {
        return yield* new MigrationIncomplete({ rejected: summary.totals.rejected, rejectsFile: summary.rejectsFile })
      }
    }).pipe(Effect.provide(Reactivity.layer))
  )
}

/**
 * Applies this package's PostgreSQL migrations to the configured PostgreSQL; the ones already applied are skipped,
 * so a second call changes nothing. Needs nothing from the offline programs.
 */
export async function initializePostgresSchema(): Promise<void> {
  return run(
    Effect.gen(function* () {
      const postgres = yield* postgresOptions
      yield* Effect.scoped(PostgresDatabase.makePostgresDatabase({ ...postgres, poolSize: 1, migrate: true }))
    }).pipe(Effect.provide(Reactivity.layer))
  )
}
