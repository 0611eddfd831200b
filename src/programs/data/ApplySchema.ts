/**
 * `schema` (phase 1): the PostgreSQL migrations applied and the SQLite file upgraded in place, both through the
 * @effect/sql Migrator, so a second run applies nothing; and any index a killed load deferred is rebuilt. The SQLite file must already be the bot's database (or
 * empty): a file of another application is refused rather than given six new tables.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { PostgresDatabase } from "../../runtime/layers/PostgresDatabase.js"
import { SqliteDatabase } from "../../runtime/layers/SqliteDatabase.js"
import { runSchemaMigrations } from "../../runtime/schema/runSchemaMigrations.js"
import { SourceError } from "./DataErrors.js"
import { rebuildIndexes } from "./DeferredIndexes.js"
import { targetName } from "./LoadTables.js"
import { inspectSchema } from "./SchemaForm.js"

export interface SchemaSummary {
  readonly sqlite: {
    readonly path: string
    /** The legacy form found before upgrading: "full", "early", or "empty" for a file without tables. */
    readonly formBefore: "full" | "early" | "empty"
    /** Migrations applied by this run (none when the file was already current). */
    readonly applied: ReadonlyArray<string>
  }
  readonly postgres: {
    readonly target: string
    readonly applied: ReadonlyArray<string>
    /** Secondary indexes a killed load had deferred, built now. */
    readonly restoredIndexes: ReadonlyArray<string>
  }
}

const names = (ran: ReadonlyArray<readonly [number, string]>) => ran.map(([id, name]) => `${id}_${name}`)

export const applySchema = Effect.gen(function* () {
  const sqlite = yield* SqliteDatabase
  const postgres = yield* PostgresDatabase
  const objects = yield* sqlite.sql<{ name: string; type: string }>`SELECT name, type FROM sqlite_master`.pipe(
    Effect.mapError(
      (cause) =>
        new SourceError({
          path: sqlite.filename,
          message: `cannot read SQLite database ${sqlite.filename}: ${cause.message}`,
          cause
        })
    )
  )
  const columns = new Map<string, Array<string>>()
  for (const object of objects.filter((o) => o.type === "table")) {
    const rows = yield* sqlite.sql<{ name: string }>`SELECT name FROM pragma_table_info(${object.name})`.pipe(
      Effect.orDie
    )
    columns.set(
      object.name,
      rows.map((r) => r.name)
    )
  }
  const inspection = inspectSchema((table) => columns.get(table) ?? [])
  const formBefore = inspection._tag === "Known" ? inspection.form : objects.length === 0 ? "empty" : undefined
  if (formBefore === undefined) {
    return yield* new SourceError({
      path: sqlite.filename,
      message: `${sqlite.filename} is not the bot's SQLite database: ${inspection._tag === "Unknown" ? inspection.problem : ""}`
    })
  }
  const sqliteRan = yield* runSchemaMigrations("sqlite").pipe(Effect.provideService(SqlClient.SqlClient, sqlite.sql))
  const postgresRan = yield* runSchemaMigrations("postgres").pipe(
    Effect.provideService(SqlClient.SqlClient, postgres.sql)
  )
  const restoredIndexes = yield* rebuildIndexes(undefined, 2)
  const summary: SchemaSummary = {
    sqlite: { path: sqlite.filename, formBefore, applied: names(sqliteRan) },
    postgres: { target: yield* targetName, applied: names(postgresRan), restoredIndexes }
  }
  return summary
})
