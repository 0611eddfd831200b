/**
 * Compare reads, in the spirit of GitHub's Scientist: the caller always gets the primary's answer, as soon as
 * the primary gives it; for a sampled share of reads the same read then runs on the candidate database in the
 * background, and a different answer is counted and logged with the operation and its arguments. Nothing the
 * candidate does (fail, hang, disagree) reaches the caller. Writes are the primary's, untouched.
 */
import { Cause, Duration, Effect, Exit, Option, Random } from "effect"
import type { StoreError } from "../domain/Errors.js"
import type { Store } from "../store/Store.js"
import { type Difference, firstDifference, sortedById } from "./CanonicalEquality.js"
import type { CompareReadsOptions } from "./CompareReadsConfig.js"
import type { Outcome } from "./CompareReadsMetrics.js"
import type { ComparisonRunner } from "./ComparisonRunner.js"
import { interceptReads, orderInsensitiveReads, type ReadCall } from "./ReadCall.js"

export interface CompareReadsSettings extends Pick<CompareReadsOptions, "sampleRate" | "timeout" | "recheckAfter"> {
  /** Runs the comparisons in the background and counts them (see `makeComparisonRunner`). */
  readonly runner: ComparisonRunner
}

/** Log lines carry keys and a glimpse of the differing values, never whole rows. */
const glimpse = (value: unknown, max = 200): string => {
  let text: string
  try {
    text = JSON.stringify(value, (_key, v: unknown) => (Option.isOption(v) ? Option.getOrNull(v) : v)) ?? "undefined"
  } catch {
    text = String(value)
  }
  return text.length > max ? `${text.slice(0, max)}…` : text
}

const describeError = (error: StoreError | Cause.TimeoutException) =>
  error._tag === "TimeoutException" ? "did not answer in time" : error.message

export const compareReads = (primary: Store, candidate: Store, settings: CompareReadsSettings): Store => {
  if (settings.sampleRate <= 0) return primary

  const experiment = <A>(call: ReadCall<A>, control: A): Effect.Effect<Outcome> => {
    const canonical = orderInsensitiveReads.has(call.operation) ? sortedById : <B>(value: B) => value
    const difference = (primaryValue: A, candidateValue: A): Option.Option<Difference> =>
      firstDifference(canonical(primaryValue), canonical(candidateValue))
    const annotations = {
      operation: call.operation,
      arguments: glimpse(call.args),
      primary: primary.backend,
      candidate: candidate.backend
    }
    const runCandidate = call
      .run(candidate)
      .pipe(Effect.timeoutFail({ duration: settings.timeout, onTimeout: () => new Cause.TimeoutException() }))

    const mismatch = (found: Difference, rechecked: boolean) =>
      Effect.logWarning("compare reads: the databases disagree").pipe(
        Effect.annotateLogs({
          ...annotations,
          path: found.path,
          primaryValue: glimpse(found.primary),
          candidateValue: glimpse(found.candidate),
          rechecked
        }),
        Effect.as<Outcome>("mismatched")
      )

    // The first difference may be replication lag: read both again a moment later before calling it a mismatch.
    const recheck = (first: Difference): Effect.Effect<Outcome> =>
      Effect.gen(function* () {
        yield* Effect.sleep(settings.recheckAfter)
        const again = yield* Effect.exit(Effect.all([call.run(primary), runCandidate], { concurrency: 2 }))
        if (Exit.isFailure(again)) return yield* mismatch(first, false)
        const still = difference(again.value[0], again.value[1])
        if (Option.isSome(still)) return yield* mismatch(still.value, true)
        yield* Effect.logDebug("compare reads: a difference was gone on the recheck").pipe(
          Effect.annotateLogs({ ...annotations, path: first.path })
        )
        return "transient"
      })

    return Effect.gen(function* () {
      const answer = yield* Effect.either(runCandidate)
      if (answer._tag === "Left") {
        yield* Effect.logWarning("compare reads: the candidate database failed").pipe(
          Effect.annotateLogs({ ...annotations, error: describeError(answer.left) })
        )
        return "error"
      }
      const found = difference(control, answer.right)
      if (Option.isNone(found)) return "matched"
      return Duration.toMillis(settings.recheckAfter) > 0
        ? yield* recheck(found.value)
        : yield* mismatch(found.value, false)
    })
  }

  const sampled: Effect.Effect<boolean> =
    settings.sampleRate >= 1 ? Effect.succeed(true) : Effect.map(Random.next, (r) => r < settings.sampleRate)

  return interceptReads(primary, (call) =>
    Effect.tap(call.run(primary), (control) =>
      Effect.whenEffect(settings.runner.submit(call.operation, experiment(call, control)), sampled)
    )
  )
}
