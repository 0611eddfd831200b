/**
 * A Store is one database seen as rows: it applies WriteOps and answers the services' reads. There is one
 * implementation per backend (`SqliteStore`, `PostgresStore`), each built over its own SQL client; the services,
 * the modes and the migration programs only ever talk to Stores.
 */
import { Context, type Effect, type Option } from "effect"
import type { Document, DocumentCollaborator } from "../domain/Document.js"
import type { Backend, StoreError } from "../domain/Errors.js"
import type { Message } from "../domain/Message.js"
import type { MessageCountFilter, MessageFilter } from "../domain/MessageFilter.js"
import type { Query } from "../domain/Query.js"
import type { UserAnalysisHistory } from "../domain/UserAnalysisHistory.js"
import type { UserProfile } from "../domain/UserProfile.js"
import type { AppliedWrite, WriteOp } from "../domain/WriteOp.js"

export interface ApplyOptions {
  /**
   * Apply as a replica: inserts become upserts and increments are not expected, so re-applying the same op (a
   * retry, a journal replay) converges instead of failing on a duplicate key.
   */
  readonly asReplica?: boolean
}

/**
 * Profiles never analysed, or analysed before their last interaction (strictly: an analysis in the same second is
 * up to date), with at least `minMessages` messages.
 */
export interface NeedingAnalysisOptions {
  readonly minMessages: number
  readonly limit: number
}

/** Both given: documents `createdBy` created that `userId` created or collaborates on. */
export interface DocumentFilter {
  /** Only documents this user created. */
  readonly createdBy?: string | undefined
  /** Only documents this user created or collaborates on. */
  readonly userId?: string | undefined
}

export interface Store {
  readonly backend: Backend
  readonly apply: (op: WriteOp, options?: ApplyOptions) => Effect.Effect<AppliedWrite, StoreError>

  readonly getMessageById: (id: string) => Effect.Effect<Option.Option<Message>, StoreError>
  readonly queryMessages: (filter: MessageFilter) => Effect.Effect<ReadonlyArray<Message>, StoreError>
  /** Every filter of `queryMessages` but the paging, search included. */
  readonly countMessages: (filter: MessageCountFilter) => Effect.Effect<number, StoreError>

  readonly getQueryById: (id: string) => Effect.Effect<Option.Option<Query>, StoreError>
  /** Newest first (ties: the newest id first). */
  readonly recentQueries: (options: {
    readonly userId?: string | undefined
    readonly limit: number
    readonly offset: number
  }) => Effect.Effect<ReadonlyArray<Query>, StoreError>
  readonly countQueries: (userId?: string) => Effect.Effect<number, StoreError>

  readonly getDocument: (id: string) => Effect.Effect<Option.Option<Document>, StoreError>
  /** Most recently updated first (ties: the newest id first). */
  readonly listDocuments: (
    options: DocumentFilter & { readonly limit: number; readonly offset: number }
  ) => Effect.Effect<ReadonlyArray<Document>, StoreError>
  readonly countDocuments: (filter: DocumentFilter) => Effect.Effect<number, StoreError>
  readonly getCollaborators: (documentId: string) => Effect.Effect<ReadonlyArray<DocumentCollaborator>, StoreError>
  readonly hasDocumentAccess: (documentId: string, userId: string) => Effect.Effect<boolean, StoreError>

  readonly getUserProfile: (userId: string) => Effect.Effect<Option.Option<UserProfile>, StoreError>
  /** The most recent interaction first, as `allUserProfiles`. */
  readonly usersNeedingAnalysis: (
    options: NeedingAnalysisOptions
  ) => Effect.Effect<ReadonlyArray<UserProfile>, StoreError>
  /** The most recent interaction first (ties: the newest profile, then the newest id, first). */
  readonly allUserProfiles: (options: {
    readonly limit: number
    readonly offset: number
  }) => Effect.Effect<ReadonlyArray<UserProfile>, StoreError>
  readonly analysisHistory: (
    userId: string,
    limit: number
  ) => Effect.Effect<ReadonlyArray<UserAnalysisHistory>, StoreError>
}

/** The SQLite database as a Store. */
export class SqliteStore extends Context.Tag("@repo/database/SqliteStore")<SqliteStore, Store>() {}

/** The PostgreSQL database as a Store. */
export class PostgresStore extends Context.Tag("@repo/database/PostgresStore")<PostgresStore, Store>() {}
