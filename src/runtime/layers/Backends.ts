/**
 * One database behind the four services: the SQLite-only and PostgreSQL-only layers. Tests and the bot can
 * provide either; `DatabaseLive` (src/runtime/modes) picks among these and the migration modes from configuration.
 */
import { Effect, Layer } from "effect"
import type { PostgresOptions, SqliteOptions } from "../config/DatabaseConfig.js"
import type { StoreError } from "../domain/Errors.js"
import { singleStore, StoreRouter } from "../services/StoreRouter.js"
import { PostgresStore, SqliteStore } from "../store/Store.js"
import * as PostgresDatabase from "./PostgresDatabase.js"
import { type Services, ServicesLive } from "./Services.js"
import * as SqliteDatabase from "./SqliteDatabase.js"
import { PostgresStoreLive, SqliteStoreLive } from "./StoreLayers.js"

const sqliteRouter = Layer.effect(StoreRouter, Effect.map(SqliteStore, singleStore))
const postgresRouter = Layer.effect(StoreRouter, Effect.map(PostgresStore, singleStore))

export const sqliteBackend = (options: SqliteOptions): Layer.Layer<Services, StoreError> =>
  ServicesLive.pipe(
    Layer.provide(sqliteRouter),
    Layer.provide(SqliteStoreLive),
    Layer.provide(SqliteDatabase.layer(options))
  )

export const postgresBackend = (options: PostgresOptions): Layer.Layer<Services, StoreError> =>
  ServicesLive.pipe(
    Layer.provide(postgresRouter),
    Layer.provide(PostgresStoreLive),
    Layer.provide(PostgresDatabase.layer(options))
  )
