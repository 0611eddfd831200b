/**
 * "Shadow writes succeed with < 1% error rate". What the CLI can measure is the shadow journal: writes the
 * shadow could not apply, waiting in the primary for replay; any entry means the shadow is behind. The failure
 * rate itself (failed / attempted shadow writes) is only known to the running bot, so it is checked from a
 * metrics snapshot when one is given and reported as not measured otherwise.
 */
import type { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import type { Backend, StoreError } from "../../../runtime/domain/Errors.js"
import * as ShadowJournal from "../../../runtime/modes/ShadowJournal.js"
import type { Databases } from "../Databases.js"
import type { ShadowMetricsSnapshot } from "../VerifyOptions.js"
import { check, type CheckResult } from "../VerifyReport.js"

export interface JournalEntrySummary {
  readonly journal: Backend
  readonly seq: number
  readonly target: Backend
  readonly operation: string
  readonly aggregateKey: string
  readonly attempts: number
  readonly error: string
}

export interface JournalSide {
  readonly journal: Backend
  readonly byTarget: ReadonlyArray<{ readonly target: Backend; readonly entries: number }>
  readonly first: ReadonlyArray<JournalEntrySummary>
}

const journalSide = (
  journal: Backend,
  sql: SqlClient.SqlClient,
  sampleKeys: number
): Effect.Effect<JournalSide, StoreError> => {
  const shadowJournal = ShadowJournal.make(sql, journal)
  return Effect.all({
    byTarget: Effect.forEach(["sqlite", "postgres"] as const, (target) =>
      Effect.map(shadowJournal.size(target), (entries) => ({ target, entries }))
    ),
    first: shadowJournal.list({ limit: sampleKeys })
  }).pipe(
    Effect.map(({ byTarget, first }) => ({
      journal,
      byTarget: byTarget.filter((t) => t.entries > 0),
      first: first.map((e) => ({
        journal,
        seq: e.seq,
        target: e.target,
        operation: e.operation,
        aggregateKey: e.aggregateKey,
        attempts: e.attempts,
        error: e.error
      }))
    }))
  )
}

/** The entries of both journals (each database keeps the journal of the writes it was primary for). */
export const readJournals = (db: Databases, sampleKeys: number) =>
  Effect.all([journalSide("sqlite", db.sqlite, sampleKeys), journalSide("postgres", db.postgres, sampleKeys)])

export const journalCheck = (sides: ReadonlyArray<JournalSide>): CheckResult => {
  const total = sides.reduce((n, s) => n + s.byTarget.reduce((m, t) => m + t.entries, 0), 0)
  const parts = sides.flatMap((s) => s.byTarget.map((t) => `${t.entries} in the ${s.journal} journal for ${t.target}`))
  const details = sides.flatMap((s) =>
    s.first.map(
      (e) =>
        `${e.journal} journal #${e.seq}: ${e.operation} ${e.aggregateKey} → ${e.target}, ${e.attempts} attempt(s): ${e.error}`
    )
  )
  const figure =
    total === 0 ? "0 pending entries" : `${total} pending entries (${parts.join(", ")}): run repair to replay`
  return check("shadow-journal", total === 0 ? "pass" : "fail", figure, details, sides)
}

export const failureRateCheck = (metrics: ShadowMetricsSnapshot | undefined, maxFailureRate: number): CheckResult => {
  if (metrics === undefined) {
    return check(
      "shadow-failure-rate",
      "skip",
      "not measured: attempted/failed shadow writes are counted by the running bot; pass its metrics snapshot (--shadow-metrics) to check the rate",
      ["measured instead: the shadow journal size (previous line) — failed shadow writes that are still pending"]
    )
  }
  if (metrics.writes <= 0) {
    return check("shadow-failure-rate", "skip", `not measured: no shadow writes counted in ${metrics.source}`)
  }
  const rate = metrics.failures / metrics.writes
  return check(
    "shadow-failure-rate",
    rate < maxFailureRate ? "pass" : "fail",
    `${formatPercent(rate)} (${metrics.failures} failed of ${metrics.writes} shadow writes, from ${metrics.source}; target < ${formatPercent(maxFailureRate)})`,
    [],
    { ...metrics, rate }
  )
}

const formatPercent = (fraction: number) => `${(fraction * 100).toFixed(fraction < 0.1 ? 2 : 1)}%`
