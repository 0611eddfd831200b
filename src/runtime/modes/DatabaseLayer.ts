/**
 * From a mode to the layer the bot uses: the four services over the configured database(s). `DatabaseLive`
 * reads the mode and the database settings from the environment and logs the choice once; tests build any mode
 * with `modeLayer` over databases they opened themselves, so they can look into both, or provide a
 * single-database mode directly with `sqliteBackend` / `postgresBackend` (the very layers the bot runs).
 *
 * In a shadowed mode only the primary must open for the layer to build: the shadow is opened in the background
 * (ShadowConnection) and caught up from the outbox once it answers, so the bot starts and serves while it is down.
 */
import { type ConfigError, Context, Effect, Layer, Option } from "effect"
import { compareReadsOptions, type CompareReadsOptions } from "../compare/CompareReadsConfig.js"
import * as ReadComparison from "../compare/ReadComparison.js"
import { interceptReads } from "../compare/ReadCall.js"
import { type PostgresOptions, postgresOptions, type SqliteOptions, sqliteOptions } from "../config/DatabaseConfig.js"
import { backendsOf, describeMode, type Mode } from "../config/Mode.js"
import { migrationMode, shadowOptions as shadowOptionsConfig } from "../config/ModeConfig.js"
import type { ShadowOptions } from "../config/ShadowOptions.js"
import { type Backend, StoreError } from "../domain/Errors.js"
import * as PostgresDatabase from "../layers/PostgresDatabase.js"
import { type Services, ServicesLive } from "../layers/Services.js"
import * as SqliteDatabase from "../layers/SqliteDatabase.js"
import { PostgresStoreLive, SqliteStoreLive } from "../layers/StoreLayers.js"
import { StoreRouter, type StoreRouterShape } from "../services/StoreRouter.js"
import { type DatabaseStore, PostgresStore, SqliteStore, type Store } from "../store/Store.js"
import { HealthSnapshotFileFromEnv } from "../telemetry/HealthSnapshotFile.js"
import { OtlpMetricsFromEnv } from "../telemetry/OtlpMetricsExport.js"
import { consistentReadStore } from "./ConsistentReads.js"
import * as ShadowConnection from "./ShadowConnection.js"
import { shadowedRouter } from "./ShadowedRouter.js"
import { disabled, ShadowHealth } from "./ShadowHealth.js"
import { isolated } from "./ShadowIsolation.js"
import * as ShadowWriter from "./ShadowWriter.js"
import { timedWrites } from "./TimedWrites.js"

/** What the bot gets: the four services, and the shadow's health. */
export type Database = Services | ShadowHealth

/** Both databases, open: what `modeLayer` builds a mode over. */
export type Databases = SqliteDatabase.SqliteDatabase | SqliteStore | PostgresDatabase.PostgresDatabase | PostgresStore

/** How a shadowed mode runs: the shadow's tuning and, optionally, compare reads against the other database. */
export interface ShadowedSettings {
  readonly shadow: ShadowOptions
  readonly compareReads?: CompareReadsOptions | undefined
}

const storeTag = (backend: Backend) => (backend === "sqlite" ? SqliteStore : PostgresStore)

const singleRouter = (store: Store): StoreRouterShape => ({ read: store, write: timedWrites(store) })

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

/** The shadow as a Store for comparisons: its reads once it is open (isolated), a StoreError until then. */
const shadowReads = (primary: Store, connection: ShadowConnection.ShadowConnection): Store => {
  const notOpen = new StoreError({
    backend: connection.backend,
    operation: "read",
    message: `the ${connection.backend} shadow is not connected yet`
  })
  return interceptReads({ ...primary, backend: connection.backend, apply: () => Effect.fail(notOpen) }, (call) =>
    Option.match(connection.current(), {
      onNone: () => Effect.fail(notOpen),
      onSome: (shadow) => isolated(call.run(shadow))
    })
  )
}

/**
 * A primary, the outbox applier into the shadow (its fiber, health log and drain live in this layer's scope), and
 * reads from wherever the mode says; with compare reads on, sampled reads also run on the other database.
 */
const shadowedRouterOver = (
  mode: Extract<Mode, { _tag: "Shadowed" }>,
  primary: DatabaseStore,
  connection: ShadowConnection.ShadowConnection,
  settings: ShadowedSettings
) =>
  Effect.gen(function* () {
    const options = settings.shadow
    const writer = yield* ShadowWriter.make({ primary, connection, options })
    const shadow = shadowReads(primary, connection)
    const readsFromShadow = mode.reads !== mode.primary
    const read = readsFromShadow
      ? consistentReadStore(primary, mode.shadow, writer.reads, writer.write, {
          readWait: options.readWait,
          // More than a batch behind: a read would wait through several shadow commits.
          maxLag: options.batchSize
        })
      : primary
    let router = shadowedRouter({ writer, read })
    if (settings.compareReads !== undefined && settings.compareReads.sampleRate > 0) {
      const comparison = yield* ReadComparison.make(settings.compareReads)
      // Compared against the database the reads do not come from.
      router = comparison.wrapRouter(router, readsFromShadow ? primary : shadow)
    }
    return Context.make(StoreRouter, router).pipe(Context.add(ShadowHealth, writer))
  })

/** A shadowed mode over both databases, open already (tests, tools). */
export const shadowedRouterLayer = (
  mode: Extract<Mode, { _tag: "Shadowed" }>,
  settings: ShadowOptions | ShadowedSettings
): Layer.Layer<StoreRouter | ShadowHealth, never, Databases> =>
  Layer.scopedContext(
    Effect.gen(function* () {
      const primary = yield* storeTag(mode.primary)
      const shadow = yield* storeTag(mode.shadow)
      return yield* shadowedRouterOver(mode, primary, ShadowConnection.opened(shadow), shadowedSettings(settings))
    })
  )

const shadowedSettings = (settings: ShadowOptions | ShadowedSettings): ShadowedSettings =>
  "shadow" in settings ? settings : { shadow: settings }

/** The router of any mode over both open databases. */
export const modeRouter = (
  mode: Mode,
  settings: ShadowOptions | ShadowedSettings
): Layer.Layer<StoreRouter | ShadowHealth, never, Databases> =>
  mode._tag === "Shadowed"
    ? shadowedRouterLayer(mode, settings)
    : mode.backend === "sqlite"
      ? sqliteRouter
      : postgresRouter

/** The services of any mode over both open databases (tests: open both, provide them, look into both). */
export const modeLayer = (
  mode: Mode,
  settings: ShadowOptions | ShadowedSettings
): Layer.Layer<Database | StoreRouter, never, Databases> =>
  ServicesLive.pipe(Layer.provideMerge(modeRouter(mode, settings)))

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
  /** Compare reads (COMPARE_READS_*); off unless its sample rate is above 0. */
  readonly compareReads?: CompareReadsOptions | undefined
}

const missing = (backend: Backend): never => {
  throw new Error(`the mode needs ${backend} settings`)
}

/**
 * The services of `mode`, opening only the databases it uses. In a shadowed mode the primary opens with the layer
 * and the shadow in the background; a SQLite shadow waits for no lock (busy timeout 0): better-sqlite3 waits for a
 * lock synchronously, which would freeze the whole process, so the applier retries a busy file after a backoff.
 */
export const databaseLayer = (mode: Mode, settings: DatabaseSettings): Layer.Layer<Database, StoreError> => {
  const sqlite = () => settings.sqlite ?? missing("sqlite")
  const postgres = () => settings.postgres ?? missing("postgres")
  if (mode._tag === "Single") {
    return mode.backend === "sqlite" ? sqliteBackend(sqlite()) : postgresBackend(postgres())
  }
  const shadowed: ShadowedSettings = { shadow: settings.shadow, compareReads: settings.compareReads }
  const retry = { baseDelay: settings.shadow.retryBaseDelay, maxDelay: settings.shadow.retryMaxDelay }
  const router =
    mode.primary === "sqlite"
      ? Layer.scopedContext(
          Effect.gen(function* () {
            const primary = yield* SqliteStore
            const connection = yield* ShadowConnection.lazily(
              "postgres",
              postgresLayer(postgres()),
              PostgresStore,
              retry
            )
            return yield* shadowedRouterOver(mode, primary, connection, shadowed)
          })
        ).pipe(Layer.provide(sqliteLayer(sqlite())))
      : Layer.scopedContext(
          Effect.gen(function* () {
            const primary = yield* PostgresStore
            const shadowLayer = sqliteLayer({ ...sqlite(), busyTimeoutMs: 0 })
            const connection = yield* ShadowConnection.lazily("sqlite", shadowLayer, SqliteStore, retry)
            return yield* shadowedRouterOver(mode, primary, connection, shadowed)
          })
        ).pipe(Layer.provide(postgresLayer(postgres())))
  return ServicesLive.pipe(Layer.provideMerge(router))
}

/**
 * The bot's database, configured from the environment (USE_POSTGRES_*, SQLITE_PATH, POSTGRES_URL /
 * DATABASE_PUBLIC_URL / DATABASE_URL, SHADOW_*, COMPARE_READS_*), with its health published where operators
 * look: metrics to an OTLP collector (OTEL_EXPORTER_OTLP_ENDPOINT) and the health snapshot to a file
 * (SHADOW_METRICS_FILE). Logs the chosen mode once; the PostgreSQL URL is Redacted and never logged.
 */
export const DatabaseLive: Layer.Layer<Database, ConfigError.ConfigError | StoreError> = Layer.unwrapEffect(
  Effect.gen(function* () {
    const mode = yield* migrationMode
    const backends = backendsOf(mode)
    const settings: DatabaseSettings = {
      shadow: yield* shadowOptionsConfig,
      compareReads: yield* compareReadsOptions,
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
    // The exporter opens first and closes last, so it sends the figures of the database's shutdown too.
    return HealthSnapshotFileFromEnv.pipe(
      Layer.provideMerge(databaseLayer(mode, settings)),
      Layer.provideMerge(OtlpMetricsFromEnv)
    )
  })
)
