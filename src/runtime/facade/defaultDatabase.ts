/**
 * The package's default database: one database configured from the environment, opened on the first call. The
 * bot's bare functions (saveHumanMessage, createDocument, ...) run on it. Call `disposeDatabase()` on shutdown
 * (SIGTERM) so pending shadow writes drain before the process exits.
 */
import { createDatabase, type DatabaseClient } from "./createDatabase.js"

let current: DatabaseClient | undefined

/** The default database, created (not yet opened) on first use. */
export const defaultDatabase = (): DatabaseClient => (current ??= createDatabase())

/** Closes the default database (draining shadow writes); the next call opens a new one. */
export const disposeDatabase = async (): Promise<void> => {
  const db = current
  current = undefined
  if (db !== undefined) await db.dispose()
}
