/** The demo as it is printed: a block per phase (figures aligned, then notes), and a verdict at the end. */
import type { DemoSummary, FigureValue, PhaseReport } from "./DemoSummary.js"

const format = (value: FigureValue): string =>
  typeof value === "number"
    ? value.toLocaleString("en-US")
    : typeof value === "boolean"
      ? value
        ? "yes"
        : "NO"
      : value

export const renderPhase = (phase: PhaseReport, phaseCount: number): string => {
  const heading = `[${phase.step}/${phaseCount}] ${phase.title} - ${phase.guide}`
  const verdict = `${phase.ok ? "PASS" : "FAIL"} ${phase.seconds.toFixed(1)}s`
  const lines = [`${heading} ${".".repeat(Math.max(2, 100 - heading.length - verdict.length))} ${verdict}`]
  if (phase.environment !== undefined) {
    const variables = Object.entries(phase.environment).map(([name, value]) => `${name}=${value}`)
    lines.push(`      env: ${variables.length === 0 ? "(none)" : variables.join(" ")}`)
  }
  if (phase.mode !== undefined) lines.push(`      mode: ${phase.mode}`)
  const figures = Object.entries(phase.figures)
  const width = Math.max(0, ...figures.map(([label]) => label.length))
  for (const [label, value] of figures) lines.push(`      ${label.padEnd(width)}  ${format(value)}`)
  for (const note of phase.notes) lines.push(`      - ${note}`)
  if (phase.error !== undefined) lines.push(`      FAILED: ${phase.error}`)
  return lines.join("\n")
}

export const renderVerdict = (summary: DemoSummary, phaseCount: number): string => {
  const passed = summary.phases.filter((p) => p.ok).length
  const rows = summary.final?.rows ?? []
  const total = (f: (r: (typeof rows)[number]) => number) => rows.reduce((n, r) => n + f(r), 0).toLocaleString("en-US")
  const where = `PostgreSQL: ${summary.postgres.target}; files: ${summary.workDir}${summary.kept ? " (kept)" : " (removed)"}`
  return summary.ok
    ? [
        `Demo PASSED: ${passed} of ${phaseCount} phases in ${summary.seconds.toFixed(1)}s. SQLite and PostgreSQL ` +
          `verified equal: ${total((r) => r.postgres)} rows on both sides, and ${total((r) => r.rejected)} legacy ` +
          "rows only in SQLite, each recorded as a reject with its reason.",
        where
      ].join("\n")
    : [
        `Demo FAILED at phase ${summary.phases.length} of ${phaseCount} ` +
          `(${summary.phases.at(-1)?.title ?? "start"}): ${summary.phases.at(-1)?.error ?? "unknown"}`,
        where
      ].join("\n")
}

/** The whole walk-through at once (the command prints phase by phase instead, as they end). */
export const renderDemo = (summary: DemoSummary, phaseCount: number): string =>
  [...summary.phases.map((p) => renderPhase(p, phaseCount)), "", renderVerdict(summary, phaseCount)].join("\n\n")
