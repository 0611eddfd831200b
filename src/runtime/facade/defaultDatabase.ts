/**
 * The module-level services of the guide (`import { documentService } from "@repo/database"`): one database
 * configured from the environment, opened on the first call. The bot's bare functions (saveHumanMessage, ...) run on
 * this database too. Call `disposeDatabase()` on shutdown (SIGTERM) so pending shadow writes drain before the
 * process exits.
 */
import {
  createDatabase,
  type DatabaseClient,
  documentMethods,
  type DocumentServiceClient,
  userProfileMethods,
  type UserProfileServiceClient
} from "./createDatabase.js"

let current: DatabaseClient | undefined

/** The default database, created (not yet opened) on first use. */
export const defaultDatabase = (): DatabaseClient => (current ??= createDatabase())

/** Each method looks the default database up at call time, so importing opens nothing. */
const lazily = <S extends object>(pick: (db: DatabaseClient) => S, methods: ReadonlyArray<keyof S & string>): S => {
  const out: Record<string, (...args: ReadonlyArray<unknown>) => unknown> = {}
  for (const name of methods) {
    out[name] = (...args) => (pick(defaultDatabase())[name] as (...a: ReadonlyArray<unknown>) => unknown)(...args)
  }
  return out as S
}

export const documentService: DocumentServiceClient = lazily((db) => db.documentService, documentMethods)
export const userProfileService: UserProfileServiceClient = lazily((db) => db.userProfileService, userProfileMethods)

/** Closes the default database (draining shadow writes); the next call opens a new one. */
export const disposeDatabase = async (): Promise<void> => {
  const db = current
  current = undefined
  if (db !== undefined) await db.dispose()
}
