/**
 * Where the databases are and how to open them, read from the environment. The PostgreSQL URL is Redacted:
 * it carries a password and must never reach a log line.
 */
import { Config, ConfigError, Either, Option, type Redacted } from "effect"

/** `POSTGRES_URL`, else `DATABASE_PUBLIC_URL`, else `DATABASE_URL` (the first that is set wins). */
export const postgresUrl: Config.Config<Option.Option<Redacted.Redacted>> = Config.option(
  Config.redacted("POSTGRES_URL").pipe(
    Config.orElse(() => Config.redacted("DATABASE_PUBLIC_URL")),
    Config.orElse(() => Config.redacted("DATABASE_URL"))
  )
)

/** The bot's SQLite file when SQLITE_PATH is unset; the CLI's help and `status` name the same path. */
export const defaultSqlitePath = "./data/omega.db"

export const sqlitePath: Config.Config<string> = Config.string("SQLITE_PATH").pipe(
  Config.withDefault(defaultSqlitePath)
)

export interface SqliteOptions {
  readonly filename: string
  /** How long a writer waits for a lock held by another connection before SQLITE_BUSY. */
  readonly busyTimeoutMs: number
  /** Upgrade the schema on open (the default: a legacy file is brought up to date in place). */
  readonly migrate: boolean
}

export interface PostgresOptions {
  readonly url: Redacted.Redacted
  readonly poolSize: number
  readonly connectTimeoutMs: number
  readonly migrate: boolean
}

export const sqliteOptions: Config.Config<SqliteOptions> = Config.all({
  filename: sqlitePath,
  busyTimeoutMs: Config.integer("SQLITE_BUSY_TIMEOUT_MS").pipe(Config.withDefault(5000)),
  migrate: Config.boolean("SQLITE_AUTO_MIGRATE").pipe(Config.withDefault(true))
})

/** The PostgreSQL URL, required: its absence is a config error that names the three variables. */
export const requiredPostgresUrl: Config.Config<Redacted.Redacted> = postgresUrl.pipe(
  Config.mapOrFail(
    Option.match({
      onNone: () =>
        Either.left(
          ConfigError.MissingData(
            ["POSTGRES_URL"],
            "PostgreSQL is not configured: set POSTGRES_URL, DATABASE_PUBLIC_URL or DATABASE_URL"
          )
        ),
      onSome: (url) => Either.right(url)
    })
  )
)

export const postgresOptions: Config.Config<PostgresOptions> = Config.all({
  url: requiredPostgresUrl,
  poolSize: Config.integer("POSTGRES_POOL_SIZE").pipe(Config.withDefault(20)),
  connectTimeoutMs: Config.integer("POSTGRES_CONNECT_TIMEOUT_MS").pipe(Config.withDefault(10_000)),
  migrate: Config.boolean("POSTGRES_AUTO_MIGRATE").pipe(Config.withDefault(true))
})
