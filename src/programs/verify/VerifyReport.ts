/**
 * What `verify` found, as data: one check per line of the migration guide's success criteria, each with a status,
 * the figure it measured and the details an operator needs to act (the differing keys, the slow query, ...).
 * Rendering (text checklist, JSON) lives in RenderVerifyReport.ts so the command stays thin.
 */
import type { Backend } from "../../runtime/domain/Errors.js"

/**
 * `warn`: a difference that is known and explained (a recorded reject, legacy orphans) or a figure worth a look;
 * it does not fail the run. `skip`: nothing could be measured (say, no shadow metrics were given), stated
 * rather than passed silently.
 */
export type CheckStatus = "pass" | "fail" | "warn" | "skip"

export type CheckName =
  | "schema"
  | "row-counts"
  | "content"
  | "shadow-outbox"
  | "shadow-dead-letters"
  | "shadow-failure-rate"
  | "read-latency"
  | "full-text-search"
  | "jsonb"
  | "foreign-keys"
  | "query-plans"
  | "tallies"

export interface CheckResult {
  readonly name: CheckName
  /** The criterion, as an operator reads it. */
  readonly title: string
  readonly status: CheckStatus
  /** The measured figure, one line. */
  readonly figure: string
  /** What differs and where, one fact a line. */
  readonly details: ReadonlyArray<string>
  /** The same facts structured, for `--json`. */
  readonly data?: unknown
}

export interface VerifyReport {
  /** True when no check failed (warnings and skips do not fail a run). */
  readonly ok: boolean
  readonly primary: Backend
  readonly startedAt: string
  readonly durationMs: number
  readonly checks: ReadonlyArray<CheckResult>
}

/** Each criterion as the checklist names it; the targets (100 ms, 1%) are stated in the figures. */
export const checkTitles: Readonly<Record<CheckName, string>> = {
  schema: "All tables exist and migrations are current",
  "row-counts": "Row counts match per table",
  content: "Content matches (row checksums compared by key range)",
  "shadow-outbox": "Shadow outbox is drained (every committed write applied to the shadow)",
  "shadow-dead-letters": "No dead letters (no write the shadow refused)",
  "shadow-failure-rate": "Shadow write failure rate under target",
  "read-latency": "Read latency on PostgreSQL: p95 under target",
  "full-text-search": "Full-text search returns the same ids on both databases",
  jsonb: "JSONB queries work (metadata->>'key')",
  "foreign-keys": "No foreign key violations",
  "query-plans": "EXPLAIN: timeline and search queries use their indexes",
  tallies: "Counts kept as tallies match the rows"
}

export const check = (
  name: CheckName,
  status: CheckStatus,
  figure: string,
  details: ReadonlyArray<string> = [],
  data?: unknown
): CheckResult => {
  const title = checkTitles[name]
  return data === undefined ? { name, title, status, figure, details } : { name, title, status, figure, details, data }
}

/** The worst of several statuses: fail over warn over pass; skip only when nothing else was measured. */
export const worstStatus = (statuses: ReadonlyArray<CheckStatus>): CheckStatus => {
  if (statuses.includes("fail")) return "fail"
  if (statuses.includes("warn")) return "warn"
  if (statuses.includes("pass")) return "pass"
  return "skip"
}

export const reportOk = (checks: ReadonlyArray<CheckResult>): boolean => checks.every((c) => c.status !== "fail")
