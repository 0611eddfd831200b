/**
 * The migration mode, read from USE_POSTGRES_PRIMARY / USE_POSTGRES_READ / USE_POSTGRES_SHADOW, and the shadow
 * writer's tuning. Flags are strict: exactly "true" or "false" (unset means false). Effect's `Config.boolean`
 * also takes yes/no/1/0/on/off, and a typo such as `USE_POSTGRES_SHADOW=ture` must stop the bot, not silently
 * turn shadow writes off.
 */
import { Config, ConfigError, Duration, Either, Option } from "effect"
import {
  type Mode,
  postgresOnly,
  postgresShadowedToSqlite,
  sqliteOnly,
  sqliteShadowedReadPostgres,
  sqliteShadowedToPostgres
} from "./Mode.js"
import { defaultShadowOptions, type ShadowOptions } from "./ShadowOptions.js"

/** A strict boolean flag: "true" or "false", unset = false; anything else is an error naming the variable. */
export const flag = (name: string): Config.Config<boolean> =>
  Config.option(Config.string(name)).pipe(
    Config.mapOrFail(
      Option.match({
        onNone: () => Either.right(false),
        onSome: (value) =>
          value === "true"
            ? Either.right(true)
            : value === "false"
              ? Either.right(false)
              : Either.left(ConfigError.InvalidData([name], `${name} must be "true" or "false", got "${value}"`))
      })
    )
  )

export interface MigrationFlags {
  readonly primary: boolean
  readonly read: boolean
  readonly shadow: boolean
}

export const migrationFlags: Config.Config<MigrationFlags> = Config.all({
  primary: flag("USE_POSTGRES_PRIMARY"),
  read: flag("USE_POSTGRES_READ"),
  shadow: flag("USE_POSTGRES_SHADOW")
})

export const readWithoutShadowMessage =
  "USE_POSTGRES_READ=true needs USE_POSTGRES_SHADOW=true: without shadow writes PostgreSQL never receives new " +
  "writes, so reads would miss everything written since the import. Set USE_POSTGRES_SHADOW=true as well, or " +
  "USE_POSTGRES_PRIMARY=true to move to PostgreSQL completely."

/**
 * The guide's table. With USE_POSTGRES_PRIMARY reads already go to PostgreSQL, so USE_POSTGRES_READ adds nothing
 * there; only READ over a SQLite primary without SHADOW is refused.
 */
export const selectMode = (flags: MigrationFlags): Either.Either<Mode, string> => {
  if (flags.primary) return Either.right(flags.shadow ? postgresShadowedToSqlite : postgresOnly)
  if (flags.read) return flags.shadow ? Either.right(sqliteShadowedReadPostgres) : Either.left(readWithoutShadowMessage)
  return Either.right(flags.shadow ? sqliteShadowedToPostgres : sqliteOnly)
}

export const migrationMode: Config.Config<Mode> = migrationFlags.pipe(
  Config.mapOrFail((flags) =>
    Either.mapLeft(selectMode(flags), (message) => ConfigError.InvalidData(["USE_POSTGRES_READ"], message))
  )
)

const positiveInt = (name: string, fallback: number) =>
  Config.integer(name).pipe(
    Config.withDefault(fallback),
    Config.validate({ message: `${name} must be a positive integer`, validation: (n) => n > 0 })
  )

const millis = (name: string, fallback: Duration.Duration, allowZero = true) =>
  Config.integer(name).pipe(
    Config.withDefault(Duration.toMillis(fallback)),
    Config.validate({
      message: `${name} must be ${allowZero ? "zero or more" : "more than zero"} milliseconds`,
      validation: (n) => (allowZero ? n >= 0 : n > 0)
    }),
    Config.map(Duration.millis)
  )

const d = defaultShadowOptions

export const shadowOptions: Config.Config<ShadowOptions> = Config.all({
  batchSize: positiveInt("SHADOW_BATCH_SIZE", d.batchSize),
  batchLinger: millis("SHADOW_BATCH_LINGER_MS", d.batchLinger),
  pollInterval: millis("SHADOW_POLL_INTERVAL_MS", d.pollInterval, false),
  retryAttempts: positiveInt("SHADOW_RETRY_ATTEMPTS", d.retryAttempts),
  retryBaseDelay: millis("SHADOW_RETRY_BASE_DELAY_MS", d.retryBaseDelay, false),
  retryMaxDelay: millis("SHADOW_RETRY_MAX_DELAY_MS", d.retryMaxDelay, false),
  leaseTtl: millis("SHADOW_LEASE_TTL_MS", d.leaseTtl, false),
  drainTimeout: millis("SHADOW_DRAIN_TIMEOUT_MS", d.drainTimeout),
  healthInterval: millis("SHADOW_HEALTH_INTERVAL_MS", d.healthInterval),
  metricsInterval: millis("SHADOW_METRICS_INTERVAL_MS", d.metricsInterval),
  readWait: millis("SHADOW_READ_WAIT_MS", d.readWait)
})
