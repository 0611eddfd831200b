/** Each database as a Store, built over that database's own client. */
import { SqlClient } from "@effect/sql"
import { Effect, Layer } from "effect"
import { makeSqlStore } from "../store/SqlStore.js"
import { PostgresStore, SqliteStore } from "../store/Store.js"
import { PostgresDatabase } from "./PostgresDatabase.js"
import { SqliteDatabase } from "./SqliteDatabase.js"

export const SqliteStoreLive: Layer.Layer<SqliteStore, never, SqliteDatabase> = Layer.effect(
  SqliteStore,
  Effect.flatMap(SqliteDatabase, (db) =>
    makeSqlStore("sqlite").pipe(Effect.provideService(SqlClient.SqlClient, db.sql))
  )
)

export const PostgresStoreLive: Layer.Layer<PostgresStore, never, PostgresDatabase> = Layer.effect(
  PostgresStore,
  Effect.flatMap(PostgresDatabase, (db) =>
    makeSqlStore("postgres").pipe(Effect.provideService(SqlClient.SqlClient, db.sql))
  )
)
