/**
 * Where comparisons run: background fibers in a FiberSet owned by the scope that built the runner, at most
 * `maxInFlight` at once. A comparison over the limit is skipped and counted rather than queued, so a slow
 * database can cost comparisons but never memory or the callers' time.
 *
 * Fibers are forked from a runtime captured when the runner was built, not from the caller: a read made inside
 * the primary's transaction must not hand that transaction (@effect/sql v3 keeps it under one global context
 * key) to a query on the other database.
 */
import { Effect, FiberSet, Ref } from "effect"
import {
  addOutcome,
  type CompareReadsSnapshot,
  countOutcome,
  emptyCounts,
  type OperationCounts,
  type Outcome
} from "./CompareReadsMetrics.js"
import type { ReadOperation } from "./ReadCall.js"

export interface ComparisonRunner {
  /**
   * Starts `comparison` in the background unless `maxInFlight` comparisons are running, in which case it is
   * skipped and counted. Returns at once, never fails.
   */
  readonly submit: (operation: ReadOperation, comparison: Effect.Effect<Outcome>) => Effect.Effect<void>
  readonly snapshot: Effect.Effect<CompareReadsSnapshot>
  /** Waits until no comparison is running (tests, the demo, a graceful `status`). */
  readonly awaitIdle: Effect.Effect<void>
}

interface Tally {
  readonly total: OperationCounts
  readonly byOperation: Readonly<Partial<Record<ReadOperation, OperationCounts>>>
}

export const makeComparisonRunner = (options: { readonly maxInFlight: number }) =>
  Effect.gen(function* () {
    const fibers = yield* FiberSet.make<void>()
    const fork = yield* FiberSet.runtime(fibers)<never>()
    const tally = yield* Ref.make<Tally>({ total: emptyCounts, byOperation: {} })
    // Reserved synchronously in the caller's fiber, before forking, so a burst of reads cannot overshoot.
    let inFlight = 0

    const record = (operation: ReadOperation, outcome: Outcome) =>
      Effect.zipRight(
        Ref.update(tally, (t) => ({
          total: addOutcome(t.total, outcome),
          byOperation: { ...t.byOperation, [operation]: addOutcome(t.byOperation[operation] ?? emptyCounts, outcome) }
        })),
        outcome === "matched" ? Effect.void : countOutcome(outcome, operation)
      )

    const submit = (operation: ReadOperation, comparison: Effect.Effect<Outcome>): Effect.Effect<void> =>
      Effect.suspend(() => {
        if (inFlight >= options.maxInFlight) return record(operation, "skipped")
        inFlight++
        const background = record(operation, "started").pipe(
          Effect.zipRight(comparison),
          Effect.flatMap((outcome) => record(operation, outcome)),
          Effect.catchAllCause((cause) =>
            Effect.zipRight(
              Effect.logWarning("compare reads: comparison failed unexpectedly", cause).pipe(
                Effect.annotateLogs({ operation })
              ),
              record(operation, "error")
            )
          ),
          Effect.ensuring(Effect.sync(() => inFlight--))
        )
        return Effect.sync(() => {
          fork(background)
        })
      })

    const snapshot = Effect.map(Ref.get(tally), (t): CompareReadsSnapshot => ({
      ...t.total,
      inFlight,
      byOperation: t.byOperation
    }))

    return { submit, snapshot, awaitIdle: FiberSet.awaitEmpty(fibers) } satisfies ComparisonRunner
  })
