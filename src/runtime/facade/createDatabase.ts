/**
 * A database for async code: the four services as Promise-returning objects over one ManagedRuntime built from a
 * layer (the configured `DatabaseLive` unless given). Nothing opens until the first call. `dispose()` closes the
 * runtime: the shadow gets the drain timeout to catch up (the rest waits in the outbox) and the databases close.
 */
import { Duration, Effect, type Layer, ManagedRuntime } from "effect"
import { type Database, DatabaseLive } from "../modes/DatabaseLayer.js"
import { type ReplayResult, ShadowHealth, type ShadowHealthSnapshot } from "../modes/ShadowHealth.js"
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
  /** Shadow lag (outbox depth, oldest pending write), dead letters and counts (`enabled: false` without a shadow). */
  readonly shadowHealth: () => Promise<ShadowHealthSnapshot>
  /** Waits until the shadow holds every write committed so far; false if the timeout passed first. */
  readonly flushShadow: (timeoutMs?: number) => Promise<boolean>
  /** Replays the shadow's dead letters (writes it refused) into it, once their cause is fixed. */
  readonly replayJournal: () => Promise<ReplayResult>
  /** For Effect code that wants the services directly. */
  readonly runtime: ManagedRuntime.ManagedRuntime<Database, unknown>
  /** Lets the shadow catch up (what the drain timeout leaves waits in the outbox) and closes the databases. */
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
