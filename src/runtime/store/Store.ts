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
import type { OutboxLog, ReplicaLog } from "./ReplicationLog.js"

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

/**
 * A Store over a database of its own: what the shadow path needs beyond reads and single writes, so that it never
 * holds a SQL client. A write and its outbox entry commit together (`applyRecorded`); the applier applies a batch
 * and advances the shadow's position in one `transaction` of the shadow.
 */
export interface DatabaseStore extends Store {
  /**
   * Applies `op` and, when it changed a row, records what a replica must apply (`AppliedWrite.replicate`) in the
   * outbox, committed together: the write a caller sees acknowledged is in the outbox too. `seq` is the entry's
   * number (0: nothing changed, nothing recorded), `payload` its text. On better-sqlite3 the first message or
   * query insert installs the triggers that record them (InsertCapture): from then on every message and query
   * this store inserts is recorded, `apply` and `applyMany` included, so a store that records is used as a
   * primary only.
   */
  readonly applyRecorded: (
    op: WriteOp,
    recordedAt: number
  ) => Effect.Effect<{ readonly applied: AppliedWrite; readonly seq: number; readonly payload: string }, StoreError>
  /** Runs `effect` in one transaction of this database (a savepoint when one is open already). */
  readonly transaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | StoreError, R>
  /**
   * Applies `ops` as a replica: message and query inserts (the only write of their aggregate) first, as multi-row
   * upserts, then the others in order. One result per op, in the order given.
   */
  readonly applyMany: (ops: ReadonlyArray<WriteOp>) => Effect.Effect<ReadonlyArray<AppliedWrite>, StoreError>
  /** This database as a primary: the outbox of the writes it committed, and the applier lease. */
  readonly outbox: OutboxLog
  /** This database as a shadow: the position applied from each primary, and the dead letters. */
  readonly replica: ReplicaLog
}

/** The SQLite database as a Store. */
export class SqliteStore extends Context.Tag("@repo/database/SqliteStore")<SqliteStore, DatabaseStore>() {}

/** The PostgreSQL database as a Store. */
export class PostgresStore extends Context.Tag("@repo/database/PostgresStore")<PostgresStore, DatabaseStore>() {}
