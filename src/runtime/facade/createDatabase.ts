/**
 * A database for async code: the four services as Promise-returning objects over one ManagedRuntime built from a
 * layer (the configured `DatabaseLive` unless given). Nothing opens until the first call. `dispose()` closes the
 * runtime: pending shadow writes drain (or go to the journal) and the databases close.
 */
import { Duration, Effect, type Layer, ManagedRuntime } from "effect"
import { type Database, DatabaseLive } from "../modes/DatabaseLayer.js"
import { ShadowHealth, type ShadowHealthSnapshot } from "../modes/ShadowHealth.js"
import type { ReplayResult } from "../modes/ShadowJournal.js"
import { DocumentService, type DocumentServiceShape } from "../services/DocumentService.js"
import { MessageService, type MessageServiceShape } from "../services/MessageService.js"
import { QueryService, type QueryServiceShape } from "../services/QueryService.js"
import { UserProfileService, type UserProfileServiceShape } from "../services/UserProfileService.js"
import { methodsOf, type Promised, promised, runPromise } from "./Promised.js"

export type MessageServiceClient = Promised<MessageServiceShape>
export type QueryServiceClient = Promised<QueryServiceShape>
export type DocumentServiceClient = Promised<DocumentServiceShape>
export type UserProfileServiceClient = Promised<UserProfileServiceShape>

export const messageMethods = methodsOf<MessageServiceShape>({
  saveHumanMessage: true,
  saveAIMessage: true,
  saveToolExecution: true,
  queryMessages: true,
  getMessageById: true,
  getMessageCount: true
})

export const queryMethods = methodsOf<QueryServiceShape>({
  saveQuery: true,
  getRecentQueries: true,
  getQueryById: true,
  getQueryCount: true
})

export const documentMethods = methodsOf<DocumentServiceShape>({
  createDocument: true,
  getDocument: true,
  updateDocumentContent: true,
  updateDocumentTitle: true,
  deleteDocument: true,
  listDocuments: true,
  getDocumentCount: true,
  addCollaborator: true,
  removeCollaborator: true,
  getDocumentCollaborators: true,
  hasDocumentAccess: true
})

export const userProfileMethods = methodsOf<UserProfileServiceShape>({
  getUserProfile: true,
  createUserProfile: true,
  updateUserProfile: true,
  getOrCreateUserProfile: true,
  getUsersNeedingAnalysis: true,
  saveAnalysisHistory: true,
  getAnalysisHistory: true,
  incrementMessageCount: true,
  getAllUserProfiles: true
})

export interface DatabaseClient {
  readonly messageService: MessageServiceClient
  readonly queryService: QueryServiceClient
  readonly documentService: DocumentServiceClient
  readonly userProfileService: UserProfileServiceClient
  /** Shadow counts, queue depth, journal size and failure rate (`enabled: false` without a shadow). */
  readonly shadowHealth: () => Promise<ShadowHealthSnapshot>
  /** Waits until every shadow write so far is applied or journaled; false if the timeout passed first. */
  readonly flushShadow: (timeoutMs?: number) => Promise<boolean>
  /** Replays the shadow journal into the shadow database. */
  readonly replayJournal: () => Promise<ReplayResult>
  /** For Effect code that wants the services directly. */
  readonly runtime: ManagedRuntime.ManagedRuntime<Database, unknown>
  /** Drains pending shadow writes (journaling what is left at the drain timeout) and closes the databases. */
  readonly dispose: () => Promise<void>
}

export const createDatabase = (layer: Layer.Layer<Database, unknown> = DatabaseLive): DatabaseClient => {
  const runtime = ManagedRuntime.make(layer)
  return {
    messageService: promised(runtime, MessageService, messageMethods),
    queryService: promised(runtime, QueryService, queryMethods),
    documentService: promised(runtime, DocumentService, documentMethods),
    userProfileService: promised(runtime, UserProfileService, userProfileMethods),
    shadowHealth: () =>
      runPromise(
        runtime,
        Effect.flatMap(ShadowHealth, (h) => h.snapshot)
      ),
    flushShadow: (timeoutMs = 30_000) =>
      runPromise(
        runtime,
        Effect.flatMap(ShadowHealth, (h) => h.flush(Duration.millis(timeoutMs)))
      ),
    replayJournal: () =>
      runPromise(
        runtime,
        Effect.flatMap(ShadowHealth, (h) => h.replay)
      ),
    runtime,
    dispose: () => runtime.dispose()
  }
}
