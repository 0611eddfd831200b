/**
 * A mode phase under load: the bot restarted with the phase's variables, a stream of writes through the four
 * services (and, with reads from PostgreSQL, each message read back at once), then the shadow drained and its
 * health read, and both databases counted once the bot is down again. The guide's criteria are the checks:
 * no failed write, shadow journal empty, shadow failure rate 0%, the same rows on both sides.
 */
import { Effect, Schedule } from "effect"
import type { TableName } from "../../../runtime/domain/Tables.js"
import { ShadowHealth, type ShadowHealthShape } from "../../../runtime/modes/ShadowHealth.js"
import { bothDatabases, countRows, countsMatch, type DemoDatabaseSettings, totalRows } from "../DemoDatabases.js"
import { describeLatency } from "../Latency.js"
import { inMode, type ModeVariables } from "../ModeEnvironment.js"
import { phaseOutcome } from "../Phase.js"
import { runWorkload, type WorkloadOptions } from "../Workload.js"

export interface WritePhaseSettings extends DemoDatabaseSettings {
  readonly variables: ModeVariables
  readonly workload: WorkloadOptions
  /** Rows SQLite holds beyond PostgreSQL, per table: the copy's rejects. */
  readonly rejected: Partial<Record<TableName, number>>
}

const n = (value: number) => value.toLocaleString("en-US")
const percent = (rate: number) => `${(Math.round(rate * 10_000) / 100).toFixed(2)}%`

/** True once the shadow is open and this process applies to it; false after 30 seconds. */
const shadowReady = (health: ShadowHealthShape) =>
  health.snapshot.pipe(
    Effect.repeat({
      until: (s) => !s.enabled || (s.shadowConnected && s.isApplier && s.applier !== "connecting"),
      schedule: Schedule.spaced("20 millis")
    }),
    Effect.timeout("30 seconds"),
    Effect.as(true),
    Effect.orElseSucceed(() => false)
  )

export const writePhase = (settings: WritePhaseSettings) =>
  Effect.gen(function* () {
    const { mode, value } = yield* inMode(
      settings.variables,
      settings,
      Effect.gen(function* () {
        const health = yield* ShadowHealth
        // A bot opens its shadow in the background and serves from the primary meanwhile; a phase this short
        // would end before the shadow (schema check, lease) is open, so the load starts once it is.
        const ready = yield* shadowReady(health)
        const result = yield* runWorkload(settings.workload)
        const drained = yield* health.flush("60 seconds")
        const snapshot = yield* health.snapshot
        return { ready, result, drained, snapshot }
      })
    )
    const { ready, result, drained, snapshot } = value
    const rows = yield* countRows(settings.rejected).pipe(Effect.provide(bothDatabases(settings)))
    const equal = countsMatch(rows)
    const reading = settings.workload.readYourWrites
    const problems = [
      ...(ready ? [] : ["the shadow did not open within 30 seconds"]),
      ...(result.failed > 0 ? [`${result.failed} writes failed (first: ${result.firstError})`] : []),
      ...(drained ? [] : ["the shadow did not drain within 60 seconds"]),
      ...(snapshot.journalSize > 0 ? [`${snapshot.journalSize} shadow writes are in the journal`] : []),
      ...(snapshot.failed + snapshot.unjournaled > 0
        ? [`${snapshot.failed + snapshot.unjournaled} shadow writes failed`]
        : []),
      ...(reading && result.reads.missed > 0 ? [`${result.reads.missed} reads did not see their own write`] : []),
      ...(reading && snapshot.readsFromShadow === 0 ? ["no read was served by PostgreSQL"] : []),
      ...(equal ? [] : ["the two databases hold different rows after the phase"])
    ]
    const primary = snapshot.primary
    return phaseOutcome({
      ok: problems.length === 0,
      problem: problems.join("; "),
      environment: settings.variables,
      mode,
      figures: {
        "writes through the services": result.writes,
        "failed writes": result.failed,
        "users writing at once": result.users,
        "writes/s": Math.round(result.writes / Math.max(result.seconds, 0.001)),
        [`write latency (${primary} primary)`]: describeLatency(result.writeLatency),
        ...(reading
          ? {
              "read-your-writes": `${result.reads.checks - result.reads.missed} of ${result.reads.checks} messages read back at once`,
              "read latency": describeLatency(result.reads.latency),
              "reads served by PostgreSQL": snapshot.readsFromShadow,
              "reads served by SQLite instead": snapshot.readsFromPrimary
            }
          : {}),
        [`shadow writes applied to ${snapshot.target ?? "none"}`]: `${n(snapshot.succeeded)} of ${n(snapshot.submitted)}`,
        "shadow journal": snapshot.journalSize,
        "shadow failure rate": percent(snapshot.failureRate),
        "rows after the phase": `SQLite ${n(totalRows(rows, "sqlite"))}, PostgreSQL ${n(totalRows(rows, "postgres"))}`,
        "same rows on both sides (rejects aside)": equal
      },
      notes: [
        `writes by kind: ${Object.entries(result.byKind)
          .map(([kind, n]) => `${kind} ${n}`)
          .join(", ")}`,
        ...(settings.embedded
          ? [
              "the embedded PostgreSQL serves one connection, one statement at a time: its latencies are not a real " +
                "server's (pass --postgres to run on one)"
            ]
          : []),
        ...(snapshot.readsFromPrimary > 0
          ? ["a read is served by SQLite when PostgreSQL has not caught up within the read wait: never a stale answer"]
          : [])
      ],
      details: { workload: { ...result, written: undefined }, shadow: snapshot, rows },
      value: { result, snapshot, rows }
    })
  })
