/**
 * The CLI's own output: summaries as aligned tables (like pgloader's) or as JSON with `--json`, always on stdout
 * through Effect's Console. Errors are printed by main.ts on stderr.
 */
import { Console, Effect } from "effect"
import type { SchemaSummary } from "../data/ApplySchema.js"
import type { ExportSummary } from "../data/ExportData.js"
import type { LoadSummary, TableCounts } from "../data/LoadSummary.js"
import { renderTable } from "../render/TextTable.js"

const seconds = (s: number) => `${s.toFixed(3)}s`

const countCells = (c: TableCounts) => [c.read, c.written, c.skipped, c.rejected, c.sanitized, c.invalidJson]

export const renderLoadSummary = (summary: LoadSummary): string => {
  const table = renderTable(
    ["table name", "read", "written", "skipped", "rejected", "sanitized", "bad json", "time"],
    summary.tables.map((t) => [t.table, ...countCells(t), seconds(t.seconds)]),
    [`Total ${summary.command} time`, ...countCells(summary.totals), seconds(summary.seconds)]
  )
  const notes = [
    `${summary.command} ${summary.source} (${summary.sourceForm} schema) → ${summary.target}` +
      (summary.truncated ? " (target tables truncated first)" : "") +
      (summary.onConflict === "update" ? " (rows present and different were updated)" : ""),
    ...(summary.totals.updated > 0 ? [`${summary.totals.updated} rows updated (counted in written)`] : []),
    ...(summary.rejectsFile !== null
      ? [`${summary.totals.rejected} rows rejected: each is in ${summary.rejectsFile} with its reason`]
      : []),
    ...summary.warnings.map((w) => `warning: ${w}`)
  ]
  return `${table}\n\n${notes.join("\n")}`
}

export const renderExportSummary = (summary: ExportSummary): string => {
  const totalRows = summary.tables.reduce((n, t) => n + t.rows, 0)
  const totalBytes = summary.tables.reduce((n, t) => n + t.bytes, 0)
  const table = renderTable(
    ["table name", "rows", "bytes", "sha256", "time"],
    summary.tables.map((t) => [t.name, t.rows, t.bytes, t.sha256.slice(0, 16), seconds(t.seconds)]),
    ["Total export time", totalRows, totalBytes, "", seconds(summary.seconds)]
  )
  const notes = [
    `exported ${summary.source} (${summary.schemaForm} schema${summary.snapshot ? ", one snapshot" : ""}) to ${summary.outDir}`,
    ...summary.warnings.map((w) => `warning: ${w}`)
  ]
  return `${table}\n\n${notes.join("\n")}`
}

export const renderSchemaSummary = (summary: SchemaSummary): string =>
  [
    `SQLite ${summary.sqlite.path} (${summary.sqlite.formBefore} schema before): ` +
      (summary.sqlite.applied.length === 0 ? "already up to date" : `applied ${summary.sqlite.applied.join(", ")}`),
    `PostgreSQL ${summary.postgres.target}: ` +
      (summary.postgres.applied.length === 0 ? "already up to date" : `applied ${summary.postgres.applied.join(", ")}`),
    ...(summary.postgres.restoredIndexes.length > 0
      ? [`rebuilt indexes an interrupted load had deferred: ${summary.postgres.restoredIndexes.join(", ")}`]
      : [])
  ].join("\n")

/** Prints `summary` as JSON or through `render`. */
export const printSummary = <A>(summary: A, asJson: boolean, render: (a: A) => string) =>
  Console.log(asJson ? JSON.stringify(summary, null, 2) : render(summary)).pipe(Effect.asVoid)
