/** The repair report as an operator reads it (shadow writes applied, rows copied, deleted, refused; then the verify) and as JSON. */
import { renderCheck, verdict } from "../verify/RenderVerifyReport.js"
import type { RepairReport } from "./RepairReport.js"

const keys = (list: ReadonlyArray<string>, total: number) =>
  list.length === 0 ? "" : `: ${list.join(", ")}${total > list.length ? ` (+${total - list.length} more)` : ""}`

export const renderRepairText = (report: RepairReport): string => {
  const lines: Array<string> = [
    `Repair ${report.dryRun ? "(dry run: nothing changed) " : ""}from ${report.primary} (primary) to ${report.other}`
  ]
  const sh = report.shadow
  lines.push(`  Shadow writes ${sh.from} → ${sh.to}:`)
  if (sh.skipped !== undefined) {
    lines.push(`    ${sh.pendingBefore} pending, ${sh.deadLettersBefore} dead letters, left in place: ${sh.skipped}`)
  } else {
    lines.push(
      `    outbox: ${sh.pendingBefore} pending, ${sh.applied} applied, ${sh.deadLettered} refused, ${sh.pendingAfter} left` +
        (sh.stoppedBy === undefined ? "" : ` (stopped: ${sh.stoppedBy})`)
    )
    lines.push(
      `    dead letters: ${sh.deadLettersBefore} before, ${sh.replayed} replayed, ` +
        `${sh.superseded} superseded by the row copy, ${sh.deadLettersAfter} left`
    )
    for (const f of sh.failures) lines.push(`      - #${f.seq} ${f.operation} ${f.aggregateKey}: ${f.error}`)
  }
  lines.push(
    report.fts.problems.length === 0
      ? "  SQLite full-text index: intact"
      : `  SQLite full-text index: ${report.fts.repaired ? "repaired (triggers recreated, index rebuilt)" : "NOT repaired"}`
  )
  for (const p of report.fts.problems) lines.push(`    - ${p}`)
  const tallies = report.tallies
  lines.push(
    tallies.error !== undefined
      ? `  Tallies: not checked: ${tallies.error}`
      : tallies.recounted.length === 0
        ? "  Tallies: match their rows"
        : `  Tallies: ${tallies.drifted} differed from their rows; ${report.dryRun ? "to recount" : "recounted"}: ${tallies.recounted.join(", ")}`
  )
  lines.push("  Rows:")
  for (const t of report.tables) {
    if (t.error !== undefined) {
      lines.push(`    ${t.table}: not repaired: ${t.error}`)
      continue
    }
    const parts = [
      `${t.copied} ${report.dryRun ? "to copy" : "copied"}${keys(t.copiedKeys, t.copied)}`,
      ...(t.deleted > 0
        ? [`${t.deleted} ${report.dryRun ? "to delete" : "deleted"}${keys(t.deletedKeys, t.deleted)}`]
        : []),
      ...(t.extra > 0
        ? [`${t.extra} only on ${report.other}, kept (use --delete-extra)${keys(t.extraKeys, t.extra)}`]
        : []),
      ...(t.unrepairable > 0 ? [`${t.unrepairable} unrepairable`] : []),
      ...(t.knownRejects > 0 ? [`${t.knownRejects} recorded rejects still refused`] : []),
      ...(t.vanished > 0 ? [`${t.vanished} changed meanwhile`] : [])
    ]
    lines.push(`    ${t.table}: ${parts.join("; ")}`)
  }
  for (const u of report.unrepairable) lines.push(`    - unrepairable ${u.table}/${u.key}: ${u.reason}`)
  if (report.rejectsRecorded !== undefined) {
    lines.push(
      `  Recorded ${report.rejectsRecorded.count} unrepairable row(s) as rejects in ${report.rejectsRecorded.file}`
    )
  }
  lines.push("  Verification after repair:")
  lines.push(...report.verify.checks.flatMap((c) => renderCheck(c, "    ")))
  lines.push(`repair ${report.ok ? "done" : "incomplete"}: ${verdict(report.verify)}`)
  return lines.join("\n")
}

export const renderRepairJson = (report: RepairReport): string => JSON.stringify(report, null, 2)
