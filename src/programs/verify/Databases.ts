/**
 * Both databases as verify and repair use them: each raw client (for checks written in SQL) and each Store (for
 * the bot's own queries and for applying repairs), every Store built over its own client so the two never mix.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import type { Backend } from "../../runtime/domain/Errors.js"
import { PostgresDatabase } from "../../runtime/layers/PostgresDatabase.js"
import { SqliteDatabase } from "../../runtime/layers/SqliteDatabase.js"
import { makeSqlStore } from "../../runtime/store/SqlStore.js"
import type { DatabaseStore } from "../../runtime/store/Store.js"

export interface Databases {
  readonly sqlite: SqlClient.SqlClient
  readonly postgres: SqlClient.SqlClient
  readonly sqliteStore: DatabaseStore
  readonly postgresStore: DatabaseStore
  readonly client: (backend: Backend) => SqlClient.SqlClient
  readonly store: (backend: Backend) => DatabaseStore
}

export const databases: Effect.Effect<Databases, never, SqliteDatabase | PostgresDatabase> = Effect.gen(function* () {
  const sqlite = (yield* SqliteDatabase).sql
  const postgres = (yield* PostgresDatabase).sql
  const sqliteStore = yield* makeSqlStore("sqlite").pipe(Effect.provideService(SqlClient.SqlClient, sqlite))
  const postgresStore = yield* makeSqlStore("postgres").pipe(Effect.provideService(SqlClient.SqlClient, postgres))
  return {
    sqlite,
    postgres,
    sqliteStore,
    postgresStore,
    client: (backend) => (backend === "sqlite" ? sqlite : postgres),
    store: (backend) => (backend === "sqlite" ? sqliteStore : postgresStore)
  }
})
