/**
 * Where the databases are and how to open them, read from the environment. The PostgreSQL URL is Redacted:
 * it carries a password and must never reach a log line.
 */
import { Config, ConfigError, Either, Option, type Redacted } from "effect"
import {
  defaultLocationDescription,
  describeLocation,
  displayUrl,
  type LocationRoots,
  type SqliteLocation,
  sqliteLocation
} from "./SqliteLocation.js"

/** `POSTGRES_URL`, else `DATABASE_PUBLIC_URL`, else `DATABASE_URL` (the first that is set wins). */
export const postgresUrl: Config.Config<Option.Option<Redacted.Redacted>> = Config.option(
  Config.redacted("POSTGRES_URL").pipe(
    Config.orElse(() => Config.redacted("DATABASE_PUBLIC_URL")),
    Config.orElse(() => Config.redacted("DATABASE_URL"))
  )
)

/** The bot's SQLite database when SQLITE_PATH is unset, in words (the rules are in SqliteLocation.ts). */
export const defaultSqlitePath = defaultLocationDescription

/**
 * The SQLite database as one string: the file (as SQLITE_PATH gives it, or the absolute path the rules chose), or
 * a libSQL URL without its query.
 */
export const sqlitePath: Config.Config<string> = sqliteLocation().pipe(
  Config.map(({ location }) => (location._tag === "File" ? location.path : displayUrl(location.url)))
)

export interface SqliteOptions {
  /** The file; for a libSQL database (`location` Turso), its URL without the query, for messages. */
  readonly filename: string
  /** How long a writer waits for a lock held by another connection before SQLITE_BUSY. */
  readonly busyTimeoutMs: number
  /** Upgrade the schema on open (the default: a legacy file is brought up to date in place). */
  readonly migrate: boolean
  /**
   * How the configuration chose the database (absent: the file `filename`, given in code). A Turso location is
   * opened through @effect/sql-libsql instead of better-sqlite3.
   */
  readonly location?: SqliteLocation | undefined
  /** Configuration warnings logged when the database opens (half a Turso pair). */
  readonly warnings?: ReadonlyArray<string> | undefined
}

export interface PostgresOptions {
  readonly url: Redacted.Redacted
  readonly poolSize: number
  readonly connectTimeoutMs: number
  readonly migrate: boolean
}

/** The SQLite options; `roots` moves the production volume and the working directory (tests). */
export const sqliteOptionsWith = (roots: LocationRoots = {}): Config.Config<SqliteOptions> =>
  Config.all({
    resolved: sqliteLocation(roots),
    busyTimeoutMs: Config.integer("SQLITE_BUSY_TIMEOUT_MS").pipe(Config.withDefault(5000)),
    migrate: Config.boolean("SQLITE_AUTO_MIGRATE").pipe(Config.withDefault(true))
  }).pipe(
    Config.map(({ busyTimeoutMs, migrate, resolved: { location, warnings } }): SqliteOptions => ({
      filename: location._tag === "File" ? location.path : describeLocation(location),
      busyTimeoutMs,
      migrate,
      location,
      warnings
    }))
  )

export const sqliteOptions: Config.Config<SqliteOptions> = sqliteOptionsWith()

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
