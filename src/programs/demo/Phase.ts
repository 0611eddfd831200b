/**
 * One phase of the demo: run it, time it, and turn whatever happens (a result, a failed check, an error) into a
 * `PhaseReport` the moment it ends, so the walk-through is printed as it goes. A phase that fails stops the
 * demo: every later phase builds on it.
 */
import { Cause, Data, Effect, Option } from "effect"
import { describeCause } from "../verify/Describe.js"
import type { FigureValue, PhaseId, PhaseReport } from "./DemoSummary.js"

export interface PhaseInfo {
  readonly id: PhaseId
  readonly title: string
  readonly guide: string
}

/** What a phase's body returns: its figures, whether its checks held, and a value for later phases. */
export interface PhaseOutcome<A> {
  readonly ok: boolean
  readonly figures: Readonly<Record<string, FigureValue>>
  readonly notes?: ReadonlyArray<string> | undefined
  /** Why the phase did not pass, when a check failed. */
  readonly problem?: string | undefined
  readonly environment?: Readonly<Record<string, string>> | undefined
  readonly mode?: string | undefined
  readonly details?: unknown
  readonly value: A
}

/** A phase did not pass; the demo stops and reports. */
export class PhaseFailed extends Data.TaggedError("PhaseFailed")<{ readonly report: PhaseReport }> {}

export const phaseOutcome = <A>(outcome: PhaseOutcome<A>): PhaseOutcome<A> => outcome

/** Runs a phase, hands its report to `record`, and fails with `PhaseFailed` unless it passed. */
export const runPhase = <A, E, R>(
  step: number,
  info: PhaseInfo,
  body: Effect.Effect<PhaseOutcome<A>, E, R>,
  record: (report: PhaseReport) => Effect.Effect<void>
): Effect.Effect<A, PhaseFailed, R> =>
  Effect.gen(function* () {
    const started = performance.now()
    const exit = yield* Effect.exit(body)
    const seconds = Math.round(performance.now() - started) / 1000
    const base = { ...info, step, seconds }
    const outcome = exit._tag === "Success" ? Option.some(exit.value) : Option.none<PhaseOutcome<A>>()
    const report: PhaseReport = Option.match(outcome, {
      onNone: () => ({
        ...base,
        ok: false,
        figures: {},
        notes: [],
        error: exit._tag === "Failure" ? describeFailure(exit.cause) : "unknown"
      }),
      onSome: (o) => ({
        ...base,
        ok: o.ok,
        figures: o.figures,
        notes: o.notes ?? [],
        ...(o.ok ? {} : { error: o.problem ?? "a check of this phase failed (see the figures)" }),
        ...(o.environment === undefined ? {} : { environment: o.environment }),
        ...(o.mode === undefined ? {} : { mode: o.mode }),
        ...(o.details === undefined ? {} : { details: o.details })
      })
    })
    yield* record(report)
    if (Option.isSome(outcome) && outcome.value.ok) return outcome.value.value
    return yield* new PhaseFailed({ report })
  })

const describeFailure = (cause: Cause.Cause<unknown>): string =>
  Cause.isInterruptedOnly(cause) ? "interrupted" : describeCause(cause)
