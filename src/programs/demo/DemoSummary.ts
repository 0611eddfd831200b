/**
 * What the demo reports: one entry per phase with its figures, and the verdict. The renderer prints it as
 * text phase by phase; `--json` prints the whole summary.
 */
import type { TableName } from "../../runtime/domain/Tables.js"

export type PhaseId =
  "generate" | "schema" | "copy" | "verify" | "shadow" | "read" | "postgres-primary" | "rollback" | "final-verify"

export type FigureValue = string | number | boolean

export interface PhaseReport {
  readonly id: PhaseId
  /** 1-based position in the walk-through. */
  readonly step: number
  readonly title: string
  /** The step of the migration guide this phase plays. */
  readonly guide: string
  readonly ok: boolean
  readonly seconds: number
  /** The mode variables the phase sets, as the guide writes them (mode phases only). */
  readonly environment?: Readonly<Record<string, string>> | undefined
  /** The mode the variables select, described by the modes module. */
  readonly mode?: string | undefined
  /** The measured figures, labelled, in the order they are printed. */
  readonly figures: Readonly<Record<string, FigureValue>>
  /** Explanations, one a line. */
  readonly notes: ReadonlyArray<string>
  /** Why the phase failed. */
  readonly error?: string | undefined
  /** Structured detail for `--json` (a load summary, a verify report, a health snapshot, ...). */
  readonly details?: unknown
}

export interface TableRows {
  readonly table: TableName
  readonly sqlite: number
  readonly postgres: number
  /** Rows SQLite has and PostgreSQL refused in the copy (explained by the rejects file). */
  readonly rejected: number
}

export interface DemoSummary {
  /** Every phase passed. */
  readonly ok: boolean
  readonly postgres: { readonly embedded: boolean; readonly target: string }
  readonly workDir: string
  /** Whether the work dir (and the demo database on a server) was kept. */
  readonly kept: boolean
  readonly phases: ReadonlyArray<PhaseReport>
  /** The last comparison of the two databases: rows per table, and whether verify found them equal. */
  readonly final: {
    readonly verified: boolean
    readonly rows: ReadonlyArray<TableRows>
  } | null
  readonly seconds: number
}
