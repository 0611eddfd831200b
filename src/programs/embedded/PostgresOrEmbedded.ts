/**
 * The PostgreSQL the demo uses: the configured one (`POSTGRES_URL`, `DATABASE_PUBLIC_URL` or `DATABASE_URL`),
 * or, when none is configured, an embedded one started for the scope, so the demo needs no setup at all.
 */
import { Config, type ConfigError, Effect, Layer, Option, type Scope } from "effect"
import { type PostgresOptions, postgresOptions, postgresUrl } from "../../runtime/config/DatabaseConfig.js"
import type { StoreError } from "../../runtime/domain/Errors.js"
import * as PostgresDatabase from "../../runtime/layers/PostgresDatabase.js"
import { type EmbeddedPostgres, embeddedPostgresOptions, start } from "./EmbeddedPostgres.js"

export interface PostgresTarget {
  readonly options: PostgresOptions
  /** The embedded server, when no PostgreSQL was configured. */
  readonly embedded: Option.Option<EmbeddedPostgres>
}

/** `EMBEDDED_POSTGRES_DIR` keeps the embedded database across runs; in memory when unset. */
export const embeddedDataDir: Config.Config<Option.Option<string>> = Config.option(
  Config.string("EMBEDDED_POSTGRES_DIR")
)

export const postgresOrEmbedded: Effect.Effect<PostgresTarget, ConfigError.ConfigError | StoreError, Scope.Scope> =
  Effect.gen(function* () {
    if (Option.isSome(yield* postgresUrl)) return { options: yield* postgresOptions, embedded: Option.none() }
    const dataDir = yield* embeddedDataDir
    const migrate = yield* Config.boolean("POSTGRES_AUTO_MIGRATE").pipe(Config.withDefault(true))
    const server = yield* start({ dataDir: Option.getOrUndefined(dataDir) })
    yield* Effect.logInfo("no PostgreSQL configured: using an embedded one")
    return { options: embeddedPostgresOptions(server, { migrate }), embedded: Option.some(server) }
  })

/** Our `PostgresDatabase` over the configured server, or over an embedded one when none is configured. */
export const layerPostgresDatabase: Layer.Layer<
  PostgresDatabase.PostgresDatabase,
  ConfigError.ConfigError | StoreError
> = Layer.unwrapScoped(Effect.map(postgresOrEmbedded, (target) => PostgresDatabase.layer(target.options)))
