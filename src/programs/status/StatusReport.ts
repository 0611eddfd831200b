/**
 * What `omega-db status` reports, as data: the mode the environment selects (or why it selects none), each
 * variable with its value and meaning, the state of both databases, the shadow journal and where the migration
 * stands. Every part that could not be read says why instead of failing the command.
 */
import type { Backend } from "../../runtime/domain/Errors.js"
import type { TableName } from "../../runtime/domain/Tables.js"
import type { SchemaForm } from "../data/SchemaForm.js"

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
  /** Shadow writes waiting in this database's journal, per target; null when it has no journal table yet. */
  readonly journal: Readonly<Record<Backend, number>> | null
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

export interface JournalStatus {
  /** Shadow writes waiting for replay, in both databases; null when no journal could be read. */
  readonly waiting: number | null
  readonly toPostgres: number
  readonly toSqlite: number
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
  readonly journal: JournalStatus
  readonly migration: MigrationState
}
