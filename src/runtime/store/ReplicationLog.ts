/**
 * What a database keeps for shadow replication, as seen by the modes. As a primary: the outbox of the writes it
 * committed (appended in the writing transaction, in commit order) and the lease that lets one applier at a time
 * copy it. As a shadow: the last outbox entry applied from each primary (advanced in the same transaction as the
 * entries) and the dead letters, entries it could never take. Every statement lives in SqlReplicationLog.ts.
 */
import type { Effect } from "effect"
import type { StoreError } from "../domain/Errors.js"
import type { WriteOp } from "../domain/WriteOp.js"

/** One committed write waiting in a primary's outbox. */
export interface OutboxEntry {
  /** Commit order: every entry below a visible one is visible too. */
  readonly seq: number
  readonly aggregateKey: string
  /** The WriteOp's tag. */
  readonly operation: string
  /** The WriteOp as JSON, as the primary decided it (`AppliedWrite.replicate`). */
  readonly payload: string
  /** When the primary committed it, epoch milliseconds. */
  readonly recordedAt: number
}

export interface OutboxStats {
  /** The highest seq in the outbox (0 when it is empty). */
  readonly head: number
  /** Entries after the given position (an upper bound on PostgreSQL, where rolled-back numbers leave gaps). */
  readonly pending: number
  /** `recordedAt` of the first entry after the position, when there is one. */
  readonly oldestPendingAt: number | null
}

/** The primary side. */
export interface OutboxLog {
  /** Names this database's outbox: a shadow keeps its applied position per origin. */
  readonly origin: Effect.Effect<string, StoreError>
  /** Records `op` after the write it replicates, in the caller's transaction; returns its seq. */
  readonly append: (op: WriteOp, recordedAt: number) => Effect.Effect<number, StoreError>
  /** The entries after `after`, in seq order. */
  readonly read: (after: number, limit: number) => Effect.Effect<ReadonlyArray<OutboxEntry>, StoreError>
  /** The highest committed seq (0 when the outbox is empty): what a reader must wait for to see every write. */
  readonly head: Effect.Effect<number, StoreError>
  readonly stats: (after: number) => Effect.Effect<OutboxStats, StoreError>
  /** Deletes the entries up to `upTo` (the shadow holds them). */
  readonly trim: (upTo: number) => Effect.Effect<void, StoreError>
  /** Takes or renews the applier lease until `until`; true when `holder` holds it afterwards. */
  readonly claimLease: (holder: string, now: number, until: number) => Effect.Effect<boolean, StoreError>
  /** Gives the lease up at once (shutdown), if `holder` still holds it. */
  readonly releaseLease: (holder: string) => Effect.Effect<void, StoreError>
  readonly leaseHolder: Effect.Effect<{ readonly holder: string; readonly expiresAt: number }, StoreError>
}

/** An entry the shadow could never take, with why. */
export interface DeadLetter {
  readonly origin: string
  readonly seq: number
  readonly aggregateKey: string
  readonly operation: string
  readonly payload: string
  readonly error: string
  /** When the primary committed the write, epoch milliseconds. */
  readonly recordedAt: number
  /** When the applier gave up on it, epoch milliseconds. */
  readonly deadAt: number
}

/** The shadow side. */
export interface ReplicaLog {
  /** The last seq applied from `origin` (0, recorded, when none was yet). */
  readonly position: (origin: string) => Effect.Effect<number, StoreError>
  /** The same without recording anything: null when nothing was ever applied from `origin` (status, verify). */
  readonly appliedPosition: (origin: string) => Effect.Effect<number | null, StoreError>
  /**
   * Moves the position from `from` to `to`; fails with `PositionMoved` when it is no longer `from` (another
   * applier got there first). Run it first in the transaction that applies the entries.
   */
  readonly advance: (origin: string, from: number, to: number, now: number) => Effect.Effect<void, StoreError>
  readonly recordDeadLetters: (letters: ReadonlyArray<DeadLetter>) => Effect.Effect<void, StoreError>
  readonly deadLetters: (options?: {
    readonly origin?: string
    readonly limit?: number
  }) => Effect.Effect<ReadonlyArray<DeadLetter>, StoreError>
  readonly deadLetterCount: (origin?: string) => Effect.Effect<number, StoreError>
  /** Aggregates with a dead letter from `origin` among writes other than `except` (their later writes wait). */
  readonly heldAggregates: (
    origin: string,
    except: ReadonlyArray<string>
  ) => Effect.Effect<ReadonlySet<string>, StoreError>
  readonly removeDeadLetters: (origin: string, seqs: ReadonlyArray<number>) => Effect.Effect<void, StoreError>
}

/** The operation name of the StoreError `advance` fails with when another applier moved the position. */
export const positionMoved = "advance applied position (moved by another applier)"
