/**
 * The original's feature-flag adapter surface (contract §5.1, §5.2): `DB_CONFIG` and the four service objects.
 * The objects hold the bare functions themselves: those already follow the mode USE_POSTGRES_* selects (one write
 * path with an ordered, drained shadow, reads where the mode says), so the adapter's own routing and its bugs
 * (§5.4, F17) have nothing left to do. One implementation, two ways to call it.
 */
import { Cause, Effect, Exit, Option } from "effect"
import { type MigrationFlags, migrationFlags } from "../config/ModeConfig.js"
import { DatabaseConfigError } from "../facade/Promised.js"
import {
  addCollaborator,
  createDocument,
  deleteDocument,
  getDocument,
  getDocumentCollaborators,
  getDocumentCount,
  hasDocumentAccess,
  listDocuments,
  removeCollaborator,
  updateDocumentContent,
  updateDocumentTitle
} from "./Documents.js"
import {
  getMessageById,
  getMessageCount,
  queryMessages,
  saveAIMessage,
  saveHumanMessage,
  saveToolExecution
} from "./Messages.js"
import { getQueryById, getQueryCount, getRecentQueries, saveQuery } from "./Queries.js"
import {
  createUserProfile,
  getAllUserProfiles,
  getAnalysisHistory,
  getOrCreateUserProfile,
  getUserProfile,
  getUsersNeedingAnalysis,
  incrementMessageCount,
  saveAnalysisHistory,
  updateUserProfile
} from "./UserProfiles.js"

export interface DbConfig {
  readonly usePrimaryPostgres: boolean
  readonly usePostgresRead: boolean
  readonly useShadowWrite: boolean
}

let flags: MigrationFlags | undefined

/**
 * The flags as ModeConfig reads them ("true"/"false", unset = false), read from the environment on the first access
 * and kept: the default database reads the same variables when it opens, and the original fixed its routing at
 * start-up too. A value that is neither "true" nor "false" throws `DatabaseConfigError` naming the variable, as the
 * services refuse to open with it.
 */
const current = (): MigrationFlags => {
  if (flags !== undefined) return flags
  const exit = Effect.runSyncExit(migrationFlags)
  if (Exit.isFailure(exit)) {
    const error = Cause.failureOption(exit.cause)
    if (Option.isNone(error)) throw Cause.squash(exit.cause)
    throw new DatabaseConfigError({
      message: `invalid database configuration: ${String(error.value)}`,
      cause: error.value
    })
  }
  return (flags = exit.value)
}

/**
 * The migration flags (§5.1), read on first access, not at import (F16). Read-only: the mode is the environment's,
 * and assigning here would not re-route anything (the original's mutable object half did, §5.4).
 */
export const DB_CONFIG: DbConfig = {
  get usePrimaryPostgres() {
    return current().primary
  },
  get usePostgresRead() {
    return current().read
  },
  get useShadowWrite() {
    return current().shadow
  }
}

// Printing DB_CONFIG (the bot logs it) shows the values, as the original's plain object did, not three [Getter]s.
// Not enumerable: the object's keys stay the three flags.
Object.defineProperty(DB_CONFIG, Symbol.for("nodejs.util.inspect.custom"), { value: () => ({ ...DB_CONFIG }) })

/** §5.2 `messageService`. */
export const messageService = {
  saveHumanMessage,
  saveAIMessage,
  saveToolExecution,
  queryMessages,
  getMessageById,
  getMessageCount
} as const

/** §5.2 `queryService`. */
export const queryService = {
  saveQuery,
  getRecentQueries,
  getQueryById,
  getQueryCount
} as const

/** §5.2 `documentService`. */
export const documentService = {
  createDocument,
  updateDocumentContent,
  updateDocumentTitle,
  deleteDocument,
  addCollaborator,
  removeCollaborator,
  getDocument,
  listDocuments,
  getDocumentCount,
  getDocumentCollaborators,
  hasDocumentAccess
} as const

/** §5.2 `userProfileService`; `getOrCreateUserProfile` creates through the shadowed write path like any write (F17). */
export const userProfileService = {
  createUserProfile,
  updateUserProfile,
  saveAnalysisHistory,
  incrementMessageCount,
  getUserProfile,
  getUsersNeedingAnalysis,
  getAnalysisHistory,
  getAllUserProfiles,
  getOrCreateUserProfile
} as const
