/**
 * The bot's connection functions (contract §2.1, §2.4, §2.6): `initializeDatabase` / `getDatabase` hand out the raw
 * libSQL client the bot runs its own SQL on (K17: model-written reads, the market_predictions table), on the same
 * database the services use; `initializeSchema` creates or upgrades the schema with this package's migrations
 * (K21); `closeDatabase` closes the raw client and the package's default database. The raw client is
 * `@libsql/client` itself, the original's driver, so results have exactly the shapes of §2.3. Nothing here runs
 * before a function is called (F16).
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import type { Client, Config as ClientConfig } from "@libsql/client"
import { Cause, ConfigError, Effect, Exit, Redacted } from "effect"
import { createRequire } from "node:module"
import { dirname, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { postgresOptions, type SqliteOptions, sqliteOptions } from "../config/DatabaseConfig.js"
import type { Mode } from "../config/Mode.js"
import { migrationMode } from "../config/ModeConfig.js"
import { announceLocation, type SqliteLocation } from "../config/SqliteLocation.js"
import type { StoreError } from "../domain/Errors.js"
import { disposeDatabase } from "../facade/defaultDatabase.js"
import { DatabaseConfigError } from "../facade/Promised.js"
import { makeDirectory } from "../files/OutputLocation.js"
import { makePostgresDatabase } from "../layers/PostgresDatabase.js"
import { makeSqliteDatabase } from "../layers/SqliteDatabase.js"

let client: Client | undefined

/**
 * `@libsql/client`, loaded on the first `initializeDatabase()`: its native engine and network stack cost the root
 * import about 80 modules and 15 MB, which the web app (it never calls getDatabase) would pay for nothing. A
 * dynamic import() cannot be used: `initializeDatabase()` is synchronous (K20), so the package's CommonJS build
 * is required.
 */
const createClient = (config: ClientConfig): Client =>
  (createRequire(import.meta.url)("@libsql/client") as typeof import("@libsql/client")).createClient(config)

const configError = (error: ConfigError.ConfigError) =>
  new DatabaseConfigError({ message: `invalid database configuration: ${String(error)}`, cause: error })

// A failure rejects (or throws) with what a caller can catch: the typed error itself (K25), or the defect.
const runSyncOrThrow = <A>(effect: Effect.Effect<A, ConfigError.ConfigError>): A => {
  const exit = Effect.runSyncExit(effect.pipe(Effect.mapError(configError)))
  if (Exit.isSuccess(exit)) return exit.value
  throw Cause.squash(exit.cause)
}

const runPromise = <A, E>(effect: Effect.Effect<A, E>): Promise<A> =>
  Effect.runPromiseExit(effect).then((exit) => {
    if (Exit.isSuccess(exit)) return exit.value
    throw Cause.squash(exit.cause)
  })

const locationOf = (options: SqliteOptions): SqliteLocation =>
  options.location ?? { _tag: "File", path: options.filename, rule: "options" }

/** A libSQL client on the configured SQLite database, its directory created first (F20). */
const open = (): Client => {
  const options = runSyncOrThrow(sqliteOptions)
  const location = locationOf(options)
  Effect.runSync(announceLocation({ location, warnings: options.warnings ?? [] }))
  if (location._tag === "Turso") {
    return createClient({ url: Redacted.value(location.url), authToken: Redacted.value(location.authToken) })
  }
  if (location.path === ":memory:") return createClient({ url: ":memory:" })
  const path = resolve(location.path)
  makeDirectory(dirname(path))
  // A file URL, so that a path with spaces, '?' or '#' names the file it says.
  const raw = createClient({ url: pathToFileURL(path).href })
  // libSQL waits for no lock by default; the services hold one while they write, so the bot's own writes
  // (market_predictions) wait as the services' connection does instead of failing with SQLITE_BUSY. A local
  // client runs the statement at once, before any call of the bot's.
  raw
    .execute(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs))}`)
    .catch((error: unknown) =>
      Effect.runFork(Effect.logWarning("could not set the SQLite busy timeout on the raw client", error))
    )
  return raw
}

/**
 * The raw client, created on the first call (synchronously, K20) and returned again after. Throws
 * `DatabaseConfigError` for an invalid configuration.
 */
export function initializeDatabase(): Client {
  return (client ??= open())
}

/** The raw client: `execute(sql)` / `execute({ sql, args })` → `{ rows, columns }`, read-write (K17). */
export function getDatabase(): Client {
  return initializeDatabase()
}

/**
 * Closes the raw client and the package's default database (draining its shadow writes). Both reopen on the next
 * call.
 */
export async function closeDatabase(): Promise<void> {
  const raw = client
  client = undefined
  try {
    raw?.close()
  } finally {
    await disposeDatabase()
  }
}

const primaryOf = (mode: Mode) => (mode._tag === "Single" ? mode.backend : mode.primary)

/**
 * Brings the SQLite database (file or Turso) up to this package's schema: a legacy database is upgraded in place
 * (missing columns added, FTS index and triggers fixed), a current one is left alone, a missing one is created.
 * When PostgreSQL is the primary its schema is migrated too; a PostgreSQL shadow is left to the shadow path, whose
 * failures must not stop the bot. Runs even with SQLITE_AUTO_MIGRATE=false: calling it is the request.
 */
export async function initializeSchema(): Promise<void> {
  return runPromise(
    Effect.gen(function* () {
      const sqlite = yield* sqliteOptions
      yield* announceLocation({ location: locationOf(sqlite), warnings: sqlite.warnings ?? [] })
      yield* Effect.scoped(makeSqliteDatabase({ ...sqlite, migrate: true }))
      if (primaryOf(yield* migrationMode) === "postgres") {
        const postgres = yield* postgresOptions
        yield* Effect.scoped(makePostgresDatabase({ ...postgres, poolSize: 1, migrate: true }))
      }
    }).pipe(
      Effect.mapError((error): DatabaseConfigError | StoreError =>
        ConfigError.isConfigError(error) ? configError(error) : error
      ),
      Effect.provide(Reactivity.layer)
    )
  )
}
