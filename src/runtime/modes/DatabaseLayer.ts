/**
 * From a mode to the layer the bot uses: the four services over the configured database(s). `DatabaseLive`
 * reads the mode and the database settings from the environment and logs the choice once; tests build any mode
 * with `modeLayer` over databases they opened themselves, so they can look into both, or provide a
 * single-database mode directly with `sqliteBackend` / `postgresBackend` (the very layers the bot runs).
 */
import { type ConfigError, Context, Effect, Layer } from "effect"
import { type PostgresOptions, postgresOptions, type SqliteOptions, sqliteOptions } from "../config/DatabaseConfig.js"
import { backendsOf, describeMode, type Mode } from "../config/Mode.js"
import { migrationMode, shadowOptions as shadowOptionsConfig } from "../config/ModeConfig.js"
import type { ShadowOptions } from "../config/ShadowOptions.js"
import type { Backend, StoreError } from "../domain/Errors.js"
import * as PostgresDatabase from "../layers/PostgresDatabase.js"
import { type Services, ServicesLive } from "../layers/Services.js"
import * as SqliteDatabase from "../layers/SqliteDatabase.js"
import { PostgresStoreLive, SqliteStoreLive } from "../layers/StoreLayers.js"
import { StoreRouter } from "../services/StoreRouter.js"
import { PostgresStore, SqliteStore, type Store } from "../store/Store.js"
import { makeInsertMany } from "./BatchInserts.js"
import { consistentReadStore } from "./ConsistentReads.js"
import { shadowedRouter } from "./ShadowedRouter.js"
import { shadowError } from "./ShadowBatch.js"
import { disabled, ShadowHealth } from "./ShadowHealth.js"
import * as ShadowJournal from "./ShadowJournal.js"
import * as ShadowWriter from "./ShadowWriter.js"
import { timedWrites } from "./TimedWrites.js"

/** What the bot gets: the four services, and the shadow's health. */
export type Database = Services | ShadowHealth

/** Both databases, open: what `modeLayer` builds a mode over. */
export type Databases = SqliteDatabase.SqliteDatabase | SqliteStore | PostgresDatabase.PostgresDatabase | PostgresStore

const storeTag = (backend: Backend) => (backend === "sqlite" ? SqliteStore : PostgresStore)

const sqlOf = (backend: Backend) =>
  backend === "sqlite"
    ? Effect.map(SqliteDatabase.SqliteDatabase, (db) => db.sql)
    : Effect.map(PostgresDatabase.PostgresDatabase, (db) => db.sql)

const singleRouter = (store: Store) => ({ read: store, write: timedWrites(store) })

/** SQLite only: no shadow. */
export const sqliteRouter: Layer.Layer<StoreRouter | ShadowHealth, never, SqliteStore> = Layer.merge(
  Layer.effect(StoreRouter, Effect.map(SqliteStore, singleRouter)),
  disabled("sqlite")
)

/** PostgreSQL only: no shadow. */
export const postgresRouter: Layer.Layer<StoreRouter | ShadowHealth, never, PostgresStore> = Layer.merge(
  Layer.effect(StoreRouter, Effect.map(PostgresStore, singleRouter)),
  disabled("postgres")
)

/**
 * A primary, a shadow writer into the other database (its lanes, health log and drain live in this layer's
 * scope), the journal in the primary, and reads from wherever the mode says.
 */
export const shadowedRouterLayer = (
  mode: Extract<Mode, { _tag: "Shadowed" }>,
  options: ShadowOptions
): Layer.Layer<StoreRouter | ShadowHealth, StoreError, Databases> =>
  Layer.scopedContext(
    Effect.gen(function* () {
      const primary = yield* storeTag(mode.primary)
      const shadow = yield* storeTag(mode.shadow)
      const primarySql = yield* sqlOf(mode.primary)
      const shadowSql = yield* sqlOf(mode.shadow)
      const writer = yield* ShadowWriter.make({
        primary: mode.primary,
        shadow,
        inShadowTransaction: (effect) =>
          shadowSql.withTransaction(effect).pipe(Effect.mapError(shadowError(mode.shadow))),
        insertMany: makeInsertMany(shadowSql, mode.shadow),
        journal: ShadowJournal.make(primarySql, mode.primary),
        options
      })
      const read =
        mode.reads === mode.primary
          ? primary
          : consistentReadStore(primary, shadow, writer, {
              readWait: options.readWait,
              // More than a batch per lane behind: a read would wait through several shadow commits.
              maxLag: options.lanes * options.batchSize
            })
      return Context.make(StoreRouter, shadowedRouter({ primary, writer, read, reads: mode.reads })).pipe(
        Context.add(ShadowHealth, writer)
      )
    })
  )

/** The router of any mode over both open databases. */
export const modeRouter = (
  mode: Mode,
  options: ShadowOptions
): Layer.Layer<StoreRouter | ShadowHealth, StoreError, Databases> =>
  mode._tag === "Shadowed"
    ? shadowedRouterLayer(mode, options)
    : mode.backend === "sqlite"
      ? sqliteRouter
      : postgresRouter

/** The services of any mode over both open databases (tests: open both, provide them, look into both). */
export const modeLayer = (
  mode: Mode,
  options: ShadowOptions
): Layer.Layer<Database | StoreRouter, StoreError, Databases> =>
  ServicesLive.pipe(Layer.provideMerge(modeRouter(mode, options)))

const sqliteLayer = (options: SqliteOptions) => SqliteStoreLive.pipe(Layer.provideMerge(SqliteDatabase.layer(options)))
const postgresLayer = (options: PostgresOptions) =>
  PostgresStoreLive.pipe(Layer.provideMerge(PostgresDatabase.layer(options)))

/**
 * SQLite only, opened from `options`: what the bot runs with no USE_POSTGRES_* flag set (`databaseLayer` builds
 * its single-database modes with these two), so tests that provide it exercise the bot's own layer.
 */
export const sqliteBackend = (options: SqliteOptions): Layer.Layer<Database, StoreError> =>
  ServicesLive.pipe(Layer.provideMerge(sqliteRouter), Layer.provide(sqliteLayer(options)))

/** PostgreSQL only, opened from `options`: the bot's layer under USE_POSTGRES_PRIMARY without a shadow. */
export const postgresBackend = (options: PostgresOptions): Layer.Layer<Database, StoreError> =>
  ServicesLive.pipe(Layer.provideMerge(postgresRouter), Layer.provide(postgresLayer(options)))

export interface DatabaseSettings {
  readonly sqlite?: SqliteOptions
  readonly postgres?: PostgresOptions
  readonly shadow: ShadowOptions
}

const missing = (backend: Backend): never => {
  throw new Error(`the mode needs ${backend} settings`)
}

/** The services of `mode`, opening only the databases it uses. */
export const databaseLayer = (mode: Mode, settings: DatabaseSettings): Layer.Layer<Database, StoreError> => {
  const sqlite = () => settings.sqlite ?? missing("sqlite")
  const postgres = () => settings.postgres ?? missing("postgres")
  if (mode._tag === "Single") {
    return mode.backend === "sqlite" ? sqliteBackend(sqlite()) : postgresBackend(postgres())
  }
  return ServicesLive.pipe(
    Layer.provideMerge(shadowedRouterLayer(mode, settings.shadow)),
    Layer.provide(Layer.merge(sqliteLayer(sqlite()), postgresLayer(postgres())))
  )
}

/**
 * The bot's database, configured from the environment (USE_POSTGRES_*, SQLITE_PATH, POSTGRES_URL /
 * DATABASE_PUBLIC_URL / DATABASE_URL, SHADOW_*). Logs the chosen mode once; the PostgreSQL URL is Redacted and
 * never logged.
 */
export const DatabaseLive: Layer.Layer<Database, ConfigError.ConfigError | StoreError> = Layer.unwrapEffect(
  Effect.gen(function* () {
    const mode = yield* migrationMode
    const backends = backendsOf(mode)
    const settings: DatabaseSettings = {
      shadow: yield* shadowOptionsConfig,
      ...(backends.includes("sqlite") ? { sqlite: yield* sqliteOptions } : {}),
      ...(backends.includes("postgres") ? { postgres: yield* postgresOptions } : {})
    }
    yield* Effect.logInfo(`database mode: ${describeMode(mode)}`).pipe(
      Effect.annotateLogs({
        mode: mode._tag === "Single" ? `${mode.backend}-only` : `${mode.primary}-primary+${mode.shadow}-shadow`,
        reads: mode._tag === "Single" ? mode.backend : mode.reads,
        ...(settings.sqlite ? { sqlitePath: settings.sqlite.filename } : {}),
        ...(settings.postgres ? { postgresPoolSize: settings.postgres.poolSize } : {})
      })
    )
    return databaseLayer(mode, settings)
  })
)
