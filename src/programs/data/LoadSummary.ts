/**
 * What a load did, per table and in total: every row read is written, skipped (already there) or rejected (in the
 * rejects file), so `read = written + skipped + rejected` always holds and nothing is unaccounted for.
 */
import type { TableName } from "../../runtime/domain/Tables.js"
import type { SchemaForm } from "./SchemaForm.js"
import type { OnConflict } from "./TableWriter.js"

export interface TableCounts {
  readonly read: number
  /** Inserted plus updated. */
  readonly written: number
  readonly updated: number
  readonly skipped: number
  readonly rejected: number
  /** Values from which U+0000 was removed. */
  readonly sanitized: number
  /** Invalid JSON kept as a JSONB string. */
  readonly invalidJson: number
}

export interface TableLoadSummary extends TableCounts {
  readonly table: TableName
  /** Streams (connections) that loaded the table at the same time. */
  readonly streams: number
  readonly seconds: number
}

/** What `loadTables` returns: each table's summary, the indexes it rebuilt, and the rejects file if it wrote one. */
export interface LoadResult {
  readonly tables: ReadonlyArray<TableLoadSummary>
  readonly restored: ReadonlyArray<string>
  readonly rejectsFile: string | null
}

export interface LoadSummary {
  readonly command: "import" | "copy"
  /** The SQLite file or the export directory. */
  readonly source: string
  readonly sourceForm: SchemaForm
  /** host:port/database, without credentials. */
  readonly target: string
  readonly onConflict: OnConflict
  readonly truncated: boolean
  readonly tables: ReadonlyArray<TableLoadSummary>
  readonly totals: TableCounts
  /** The rejects file, when rows were rejected. */
  readonly rejectsFile: string | null
  readonly warnings: ReadonlyArray<string>
  readonly seconds: number
}

export const emptyCounts: TableCounts = {
  read: 0,
  written: 0,
  updated: 0,
  skipped: 0,
  rejected: 0,
  sanitized: 0,
  invalidJson: 0
}

export const addCounts = (a: TableCounts, b: TableCounts): TableCounts => ({
  read: a.read + b.read,
  written: a.written + b.written,
  updated: a.updated + b.updated,
  skipped: a.skipped + b.skipped,
  rejected: a.rejected + b.rejected,
  sanitized: a.sanitized + b.sanitized,
  invalidJson: a.invalidJson + b.invalidJson
})

/** Whether the load put every row it read in place (written or already there). */
export const isComplete = (summary: LoadSummary): boolean => summary.totals.rejected === 0

/** The warning that an earlier, interrupted load had left indexes to build (they are built now). */
const restoredWarning = (indexes: ReadonlyArray<string>): ReadonlyArray<string> =>
  indexes.length === 0 ? [] : [`rebuilt indexes an interrupted earlier load had deferred: ${indexes.join(", ")}`]

/**
 * The summary of a finished load, the same for import and copy: totals are the sum of the tables', and the
 * source's warnings come before the load's own.
 */
export const loadSummary = (load: {
  readonly command: LoadSummary["command"]
  readonly source: string
  readonly sourceForm: SchemaForm
  readonly target: string
  readonly settings: { readonly onConflict: OnConflict; readonly truncate: boolean }
  readonly result: LoadResult
  readonly sourceWarnings: ReadonlyArray<string>
  /** `performance.now()` when the command started. */
  readonly started: number
}): LoadSummary => ({
  command: load.command,
  source: load.source,
  sourceForm: load.sourceForm,
  target: load.target,
  onConflict: load.settings.onConflict,
  truncated: load.settings.truncate,
  tables: load.result.tables,
  totals: load.result.tables.reduce(addCounts, emptyCounts),
  rejectsFile: load.result.rejectsFile,
  warnings: [...load.sourceWarnings, ...restoredWarning(load.result.restored)],
  seconds: (performance.now() - load.started) / 1000
})
