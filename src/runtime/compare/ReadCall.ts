/**
 * The reads of a Store as data: which operation, with which arguments, and how to run it on any Store. A Store
 * decorator that treats every read alike (compare, time, delay) intercepts `ReadCall`s instead of wrapping
 * fifteen methods by hand, and can replay the same call on another database.
 */
import type { Effect } from "effect"
import type { StoreError } from "../domain/Errors.js"
import type { Store } from "../store/Store.js"

/** Every method of the Store that only reads. */
export type ReadOperation = Exclude<keyof Store, "backend" | "apply">

export interface ReadCall<A> {
  readonly operation: ReadOperation
  /** The arguments as the caller passed them, for logs: they name the key that was read. */
  readonly args: ReadonlyArray<unknown>
  readonly run: (store: Store) => Effect.Effect<A, StoreError>
}

export type ReadInterceptor = <A>(call: ReadCall<A>) => Effect.Effect<A, StoreError>

/** A Store whose reads all go through `intercept`; `backend` and `apply` (writes) are the given store's. */
export const interceptReads = (store: Store, intercept: ReadInterceptor): Store => ({
  backend: store.backend,
  apply: store.apply,
  getMessageById: (id) => intercept({ operation: "getMessageById", args: [id], run: (s) => s.getMessageById(id) }),
  queryMessages: (filter) =>
    intercept({ operation: "queryMessages", args: [filter], run: (s) => s.queryMessages(filter) }),
  countMessages: (filter) =>
    intercept({ operation: "countMessages", args: [filter], run: (s) => s.countMessages(filter) }),
  getQueryById: (id) => intercept({ operation: "getQueryById", args: [id], run: (s) => s.getQueryById(id) }),
  recentQueries: (options) =>
    intercept({ operation: "recentQueries", args: [options], run: (s) => s.recentQueries(options) }),
  countQueries: (userId) =>
    intercept({ operation: "countQueries", args: [userId], run: (s) => s.countQueries(userId) }),
  getDocument: (id) => intercept({ operation: "getDocument", args: [id], run: (s) => s.getDocument(id) }),
  listDocuments: (options) =>
    intercept({ operation: "listDocuments", args: [options], run: (s) => s.listDocuments(options) }),
  countDocuments: (filter) =>
    intercept({ operation: "countDocuments", args: [filter], run: (s) => s.countDocuments(filter) }),
  getCollaborators: (documentId) =>
    intercept({ operation: "getCollaborators", args: [documentId], run: (s) => s.getCollaborators(documentId) }),
  hasDocumentAccess: (documentId, userId) =>
    intercept({
      operation: "hasDocumentAccess",
      args: [documentId, userId],
      run: (s) => s.hasDocumentAccess(documentId, userId)
    }),
  getUserProfile: (userId) =>
    intercept({ operation: "getUserProfile", args: [userId], run: (s) => s.getUserProfile(userId) }),
  usersNeedingAnalysis: (options) =>
    intercept({ operation: "usersNeedingAnalysis", args: [options], run: (s) => s.usersNeedingAnalysis(options) }),
  allUserProfiles: (options) =>
    intercept({ operation: "allUserProfiles", args: [options], run: (s) => s.allUserProfiles(options) }),
  analysisHistory: (userId, limit) =>
    intercept({
      operation: "analysisHistory",
      args: [userId, limit],
      run: (s) => s.analysisHistory(userId, limit)
    })
})

/**
 * Reads whose rows form a set: the order carries no meaning to callers, so a comparison sorts them by id first.
 * Every other list read has a total ORDER BY (ties broken by a key), and its order is part of the answer.
 */
export const orderInsensitiveReads: ReadonlySet<ReadOperation> = new Set<ReadOperation>(["getCollaborators"])
