/**
 * Plain-text tables for the programs' reports. Here rather than in the CLI so that a program (status, for one)
 * can render its own report without depending on the command-line shell that runs it.
 */

const right = (value: string | number, width: number) => String(value).padStart(width)

/** Rows of cells as columns right-aligned under a header, with rule lines like pgloader's. */
export const renderTable = (
  header: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
  footer?: ReadonlyArray<string | number>
): string => {
  const all = [header, ...rows, ...(footer ? [footer] : [])]
  const widths = header.map((_, i) => Math.max(...all.map((row) => String(row[i] ?? "").length)))
  const line = (row: ReadonlyArray<string | number>) => row.map((cell, i) => right(cell, widths[i]!)).join("  ")
  const rule = widths.map((w) => "-".repeat(w)).join("  ")
  return [line(header), rule, ...rows.map(line), ...(footer ? [rule, line(footer)] : [])].join("\n")
}
