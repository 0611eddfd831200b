/**
 * What `omega-db status` reports, as data: the mode the environment selects (or why it selects none), each
 * variable with its value and meaning, the state of both databases, the shadow outbox and where the migration
 * stands. Every part that could not be read says why instead of failing the command.
 */
import type { Backend } from "../../runtime/domain/Errors.js"
import type { TableName } from "../../runtime/domain/Tables.js"
import type { SchemaForm } from "../data/SchemaForm.js"
import type { PhaseGate } from "./PhaseGate.js"

export interface VariableStatus {
  readonly name: string
  /** The raw value, or null when unset. */
  readonly value: string | null
  /** What the variable does, in the guide's words. */
  readonly meaning: string
  /** Why the value is refused, when it is. */
  readonly problem: string | null
}

export type ModeStatus =
  | {
      readonly valid: true
      /** The modes module's own description (`describeMode`). */
      readonly description: string
      /** The step of the migration guide this mode is. */
      readonly guidePhase: string
      readonly primary: Backend
      readonly shadow: Backend | null
      readonly reads: Backend
    }
  | { readonly valid: false; readonly problem: string }

/** One database, as far as it could be read (never created, migrated or written). */
export interface DatabaseState {
  /** The bot's tables this database lacks. */
  readonly missingTables: ReadonlyArray<TableName>
  /** SQLite only: the legacy form of its tables, when they are the bot's. */
  readonly form: SchemaForm | null
  readonly appliedMigrations: ReadonlyArray<string>
  readonly pendingMigrations: ReadonlyArray<string>
  /** Rows per table, for the tables present. */
  readonly rows: Partial<Record<TableName, number>>
  /** This database as a primary: its outbox of shadow writes; null when it has no outbox table yet. */
  readonly outbox: OutboxState | null
  /** This database as a shadow: what it applied from each primary, and its dead letters; null without the tables. */
  readonly replica: ReplicaState | null
}

export interface OutboxState {
  readonly origin: string
  /** The last entry committed (0: none yet). */
  readonly head: number
  /** Entries still in the outbox (pending, or applied and not trimmed yet: trimming follows within a second). */
  readonly entries: number
  /** When the oldest entry still in the outbox was committed, epoch milliseconds. */
  readonly oldestRecordedAt: number | null
  /** Who holds the applier lease, while it has not expired. */
  readonly applier: { readonly holder: string; readonly expiresAt: number } | null
}

export interface DeadLetterSummary {
  readonly origin: string
  readonly seq: number
  readonly operation: string
  readonly aggregateKey: string
  readonly error: string
}

export interface ReplicaState {
  /** The last outbox entry applied, per primary origin. */
  readonly applied: Readonly<Record<string, number>>
  /** Dead letters waiting, per primary origin. */
  readonly deadLetters: Readonly<Record<string, number>>
  /** The first dead letters, for the operator. */
  readonly firstDeadLetters: ReadonlyArray<DeadLetterSummary>
}

export type SqliteStatus =
  | { readonly state: "missing"; readonly path: string; readonly source: string }
  | { readonly state: "unreadable"; readonly path: string; readonly source: string; readonly problem: string }
  | { readonly state: "ok"; readonly path: string; readonly source: string; readonly database: DatabaseState }

export type PostgresStatus =
  | { readonly state: "not-configured" }
  | { readonly state: "invalid-config"; readonly problem: string }
  | { readonly state: "unreachable"; readonly target: string; readonly source: string; readonly problem: string }
  | {
      readonly state: "ok"
      readonly target: string
      readonly source: string
      /** The server's version line, shortened. */
      readonly server: string
      readonly database: DatabaseState
    }
  | { readonly state: "unreadable"; readonly target: string; readonly source: string; readonly problem: string }

/** Shadow writes from one database's outbox to the other. */
export interface ShadowDirection {
  readonly from: Backend
  readonly to: Backend
  /** Committed and not applied yet (every entry still in the outbox when the other side could not be read). */
  readonly pending: number
  /** How long the oldest of them has waited, in milliseconds; null when none waits. */
  readonly oldestPendingAgeMs: number | null
  /** Dead letters of this primary waiting in the other database (null when it could not be read). */
  readonly deadLetters: number | null
  readonly firstDeadLetters: ReadonlyArray<DeadLetterSummary>
  /** The process applying, while its lease runs. */
  readonly applier: string | null
}

export interface OutboxStatus {
  /** Shadow writes not applied yet, in both directions; null when no outbox could be read. */
  readonly waiting: number | null
  /** Dead letters in both databases. */
  readonly deadLetters: number
  readonly directions: ReadonlyArray<ShadowDirection>
}

/** The bot's own shadow write counts, from the snapshot file it writes (SHADOW_METRICS_FILE). */
export type ShadowMetricsStatus =
  | { readonly state: "not-configured" }
  | { readonly state: "unreadable"; readonly file: string; readonly problem: string }
  | {
      readonly state: "ok"
      readonly file: string
      /** Shadow writes resolved (applied or dead-lettered) by the applier since it started. */
      readonly writes: number
      readonly failures: number
      /** How long ago the bot wrote the file; null when the file does not say. */
      readonly ageMs: number | null
    }

export interface MigrationState {
  /** Where the migration stands, one line. */
  readonly stage: string
  /** What to do next, one line; null when there is nothing to do. */
  readonly next: string | null
}

export interface StatusReport {
  readonly mode: ModeStatus
  readonly variables: ReadonlyArray<VariableStatus>
  readonly sqlite: SqliteStatus
  readonly postgres: PostgresStatus
  readonly outbox: OutboxStatus
  readonly shadowMetrics: ShadowMetricsStatus
  readonly migration: MigrationState
  /** Whether the current phase's criteria hold (what status can read); `omega-db status` exits 1 when not. */
  readonly gate: PhaseGate
}
