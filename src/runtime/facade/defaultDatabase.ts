/**
 * The package's default database: one database configured from the environment, opened on the first call. The
 * bot's bare functions (saveHumanMessage, createDocument, ...) run on it. Call `disposeDatabase()` on shutdown
 * (SIGTERM) so pending shadow writes drain before the process exits.
 */
import { Effect, Layer } from "effect"
import { sqliteOptions } from "../config/DatabaseConfig.js"
import { backendsOf } from "../config/Mode.js"
import { migrationMode } from "../config/ModeConfig.js"
import { announceLocation } from "../config/SqliteLocation.js"
import { DatabaseLive } from "../modes/DatabaseLayer.js"
import { createDatabase, type DatabaseClient } from "./createDatabase.js"

/**
 * Says where the SQLite database is (and warns about half a Turso pair) before the mode opens it, when the mode
 * uses SQLite. A configuration error is left to `DatabaseLive`, which reports it to the caller.
 */
const announceSqlite = Layer.effectDiscard(
  Effect.gen(function* () {
    if (!backendsOf(yield* migrationMode).includes("sqlite")) return
    const options = yield* sqliteOptions
    if (options.location !== undefined) {
      yield* announceLocation({ location: options.location, warnings: options.warnings ?? [] })
    }
  }).pipe(Effect.ignore)
)

let current: DatabaseClient | undefined

/** The default database, created (not yet opened) on first use. */
export const defaultDatabase = (): DatabaseClient =>
  (current ??= createDatabase(DatabaseLive.pipe(Layer.provide(announceSqlite))))

/** Closes the default database (draining shadow writes); the next call opens a new one. */
export const disposeDatabase = async (): Promise<void> => {
  const db = current
  current = undefined
  if (db !== undefined) await db.dispose()
}
