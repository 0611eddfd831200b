/**
 * "Shadow writes succeed with < 1% error rate". What the CLI can measure is the replication state in the two
 * databases: each outbox's entries the other side has not applied yet (the lag: pending writes, and how long the
 * oldest has waited), and the dead letters, writes the shadow refused, each with its reason. The failure rate
 * itself is only known to the running bot, so it is checked from a metrics snapshot when one is given and reported
 * as not measured otherwise.
 */
import { Clock, Effect } from "effect"
import type { Backend, StoreError } from "../../../runtime/domain/Errors.js"
import type { DeadLetter } from "../../../runtime/store/ReplicationLog.js"
import type { Databases } from "../Databases.js"
import type { ShadowMetricsSnapshot } from "../VerifyOptions.js"
import { check, type CheckResult } from "../VerifyReport.js"

/** A pending write older than this means no applier is keeping up (none runs, or it is stuck). */
export const maxPendingAgeMs = 60_000

export interface ShadowDirectionState {
  /** Where the outbox is. */
  readonly primary: Backend
  readonly shadow: Backend
  readonly origin: string
  /** The last entry the shadow applied from this outbox (null: never). */
  readonly applied: number | null
  readonly pending: number
  readonly oldestPendingAgeMs: number | null
  readonly deadLetters: number
  readonly firstDeadLetters: ReadonlyArray<Omit<DeadLetter, "payload">>
}

const direction = (db: Databases, primary: Backend, sampleKeys: number, now: number) =>
  Effect.gen(function* () {
    const shadow: Backend = primary === "sqlite" ? "postgres" : "sqlite"
    const outbox = db.store(primary).outbox
    const replica = db.store(shadow).replica
    const origin = yield* outbox.origin
    const applied = yield* replica.appliedPosition(origin)
    const stats = yield* outbox.stats(applied ?? 0)
    const letters = yield* replica.deadLetters({ origin, limit: sampleKeys })
    return {
      primary,
      shadow,
      origin,
      applied,
      pending: stats.pending,
      oldestPendingAgeMs: stats.oldestPendingAt === null ? null : Math.max(0, now - stats.oldestPendingAt),
      deadLetters: yield* replica.deadLetterCount(origin),
      firstDeadLetters: letters.map(({ payload: _payload, ...rest }) => rest)
    } satisfies ShadowDirectionState
  })

/** Both directions: each database keeps the outbox of the writes it was primary for. */
export const readShadowState = (
  db: Databases,
  sampleKeys: number
): Effect.Effect<ReadonlyArray<ShadowDirectionState>, StoreError> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) =>
    Effect.all([direction(db, "sqlite", sampleKeys, now), direction(db, "postgres", sampleKeys, now)])
  )

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`

export const outboxCheck = (directions: ReadonlyArray<ShadowDirectionState>): CheckResult => {
  const waiting = directions.filter((d) => d.pending > 0)
  const total = waiting.reduce((n, d) => n + d.pending, 0)
  if (total === 0) return check("shadow-outbox", "pass", "0 pending shadow writes", [], directions)
  const oldest = Math.max(...waiting.map((d) => d.oldestPendingAgeMs ?? 0))
  const parts = waiting.map(
    (d) => `${d.pending} from ${d.primary} to ${d.shadow}, the oldest waiting ${seconds(d.oldestPendingAgeMs ?? 0)}`
  )
  const stuck = oldest > maxPendingAgeMs
  return check(
    "shadow-outbox",
    stuck ? "fail" : "warn",
    `${total} pending shadow writes (${parts.join("; ")}): ` +
      (stuck
        ? `older than ${seconds(maxPendingAgeMs)}, so no applier keeps up: start the bot, or run repair`
        : "the applier is catching up"),
    [],
    directions
  )
}

export const deadLetterCheck = (directions: ReadonlyArray<ShadowDirectionState>): CheckResult => {
  const total = directions.reduce((n, d) => n + d.deadLetters, 0)
  const details = directions.flatMap((d) =>
    d.firstDeadLetters.map(
      (l) => `${d.shadow} dead letter #${l.seq} from ${d.primary}: ${l.operation} ${l.aggregateKey}: ${l.error}`
    )
  )
  const parts = directions
    .filter((d) => d.deadLetters > 0)
    .map((d) => `${d.deadLetters} in ${d.shadow} from ${d.primary}`)
  return total === 0
    ? check("shadow-dead-letters", "pass", "0 dead letters", [], directions)
    : check(
        "shadow-dead-letters",
        "fail",
        `${total} dead letters (${parts.join(", ")}): writes the shadow refused; fix the cause, then run repair`,
        details,
        directions
      )
}

export const failureRateCheck = (metrics: ShadowMetricsSnapshot | undefined, maxFailureRate: number): CheckResult => {
  if (metrics === undefined) {
    return check(
      "shadow-failure-rate",
      "skip",
      "not measured: attempted/failed shadow writes are counted by the running bot; point verify at the health snapshot it writes (SHADOW_METRICS_FILE, or --shadow-metrics FILE) to check the rate",
      ["measured instead: pending shadow writes and dead letters (previous lines)"]
    )
  }
  if (metrics.writes <= 0) {
    return check("shadow-failure-rate", "skip", `not measured: no shadow writes counted in ${metrics.source}`)
  }
  const rate = metrics.failures / metrics.writes
  const age = metrics.writtenAt === undefined ? "" : `, written ${formatAge(Date.now() - metrics.writtenAt)} ago`
  return check(
    "shadow-failure-rate",
    rate < maxFailureRate ? "pass" : "fail",
    `${formatPercent(rate)} (${metrics.failures} failed of ${metrics.writes} shadow writes, from ${metrics.source}${age}; target < ${formatPercent(maxFailureRate)})`,
    [],
    { ...metrics, rate }
  )
}

const formatAge = (millis: number) => {
  const seconds = Math.max(0, Math.round(millis / 1000))
  return seconds < 120
    ? `${seconds} s`
    : seconds < 7200
      ? `${Math.round(seconds / 60)} min`
      : `${Math.round(seconds / 3600)} h`
}

const formatPercent = (fraction: number) => `${(fraction * 100).toFixed(fraction < 0.1 ? 2 : 1)}%`
