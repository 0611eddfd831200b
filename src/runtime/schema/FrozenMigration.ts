/**
 * A schema migration as fixed text. Once a migration has run on a database it must never change, or databases
 * migrated before and after the change differ silently; so a migration holds literal SQL and imports nothing
 * that later work edits (not the table registry, not the store). A schema change is a new migration.
 */
import { SqlClient, type SqlError } from "@effect/sql"
import { Effect } from "effect"

export interface FrozenMigration {
  /**
   * Every statement the migration can run, in order, as the migration snapshot test pins them. A migration that
   * decides at run time (SQLite's legacy baseline adds only the columns a file lacks) runs a subsequence.
   */
  readonly statements: ReadonlyArray<string>
  readonly run: Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient>
}

/** A migration that runs all its statements, in order, one at a time. */
export const fixedStatements = (statements: ReadonlyArray<string>): FrozenMigration => ({
  statements,
  run: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    for (const statement of statements) yield* sql.unsafe(statement)
  })
})
