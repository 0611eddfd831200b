/** The verify report as an operator reads it (a checklist, one figure a line) and as `--json` prints it. */
import type { CheckResult, CheckStatus, VerifyReport } from "./VerifyReport.js"

const marks: Readonly<Record<CheckStatus, string>> = { pass: "[PASS]", fail: "[FAIL]", warn: "[WARN]", skip: "[SKIP]" }

export const renderCheck = (c: CheckResult, indent = "  "): ReadonlyArray<string> => [
  `${indent}${marks[c.status]} ${c.title}: ${c.figure}`,
  ...c.details.map((d) => `${indent}         - ${d}`)
]

const count = (checks: ReadonlyArray<CheckResult>, status: CheckStatus) =>
  checks.filter((c) => c.status === status).length

export const verdict = (report: VerifyReport): string => {
  const failed = count(report.checks, "fail")
  const warned = count(report.checks, "warn")
  const skipped = count(report.checks, "skip")
  const extras = [warned > 0 ? `${warned} warning(s)` : "", skipped > 0 ? `${skipped} not measured` : ""].filter(
    Boolean
  )
  const tail = extras.length > 0 ? ` (${extras.join(", ")})` : ""
  return report.ok
    ? `verify PASSED: ${report.checks.length - failed} of ${report.checks.length} checks passed${tail}`
    : `verify FAILED: ${failed} of ${report.checks.length} checks failed${tail}`
}

export const renderVerifyText = (report: VerifyReport): string =>
  [
    `Migration verification (primary: ${report.primary}, ${report.startedAt}, ${report.durationMs} ms)`,
    ...report.checks.flatMap((c) => renderCheck(c)),
    verdict(report)
  ].join("\n")

export const renderVerifyJson = (report: VerifyReport): string => JSON.stringify(report, null, 2)
