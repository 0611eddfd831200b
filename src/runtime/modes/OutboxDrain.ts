/**
 * The applier as a one-off (repair, with no bot running): takes the primary's applier lease, applies what waits in
 * the outbox to the shadow exactly as the bot would (ApplyBatch), replays the dead letters, and gives the lease
 * back. When a bot holds the lease it does nothing: that bot applies the outbox itself, and a second applier would
 * only compete with it.
 */
import { Clock, Duration, Effect } from "effect"
import type { ShadowOptions } from "../config/ShadowOptions.js"
import type { StoreError } from "../domain/Errors.js"
import type { DatabaseStore } from "../store/Store.js"
import { makeApplierLease } from "./ApplierLease.js"
import { makeApplyBatch, singleWriteOperations } from "./ApplyBatch.js"
import { replayDeadLetters } from "./DeadLetterReplay.js"
import type { ReplayResult } from "./ShadowHealth.js"

export interface DrainResult {
  /** Entries waiting when the drain began. */
  readonly pendingBefore: number
  readonly applied: number
  /** Entries the shadow refused during the drain (recorded as dead letters). */
  readonly deadLettered: number
  /** Entries still waiting afterwards (the time ran out, or the shadow failed). */
  readonly pendingAfter: number
  readonly deadLettersBefore: number
  /** The replay of the dead letters, after the outbox was drained. */
  readonly replay: ReplayResult | null
  /** Why nothing was done (another process holds the lease). */
  readonly skipped?: string
  /** What stopped the drain early. */
  readonly stoppedBy?: string
}

export const drainOutbox = (
  primary: DatabaseStore,
  shadow: DatabaseStore,
  options: Pick<ShadowOptions, "batchSize" | "retryAttempts" | "retryBaseDelay" | "retryMaxDelay" | "leaseTtl"> & {
    readonly holder: string
    readonly timeout: Duration.Duration
  }
): Effect.Effect<DrainResult, StoreError> =>
  Effect.gen(function* () {
    const clock = yield* Effect.clock
    const lease = makeApplierLease(primary.outbox, options.holder, options.leaseTtl, clock)
    const empty = { pendingBefore: 0, applied: 0, deadLettered: 0, pendingAfter: 0, deadLettersBefore: 0, replay: null }
    if (!(yield* lease.ensure)) {
      const current = yield* primary.outbox.leaseHolder
      const pending = yield* Effect.flatMap(primary.outbox.origin, (origin) =>
        Effect.flatMap(shadow.replica.appliedPosition(origin), (at) => primary.outbox.stats(at ?? 0))
      )
      return {
        ...empty,
        pendingBefore: pending.pending,
        pendingAfter: pending.pending,
        skipped: `the applier lease is held by ${current.holder}: that process applies the outbox`
      }
    }
    return yield* Effect.gen(function* () {
      const origin = yield* primary.outbox.origin
      let position = yield* shadow.replica.position(origin)
      const pendingBefore = (yield* primary.outbox.stats(position)).pending
      let held = yield* shadow.replica.heldAggregates(origin, singleWriteOperations)
      const deadLettersBefore = yield* shadow.replica.deadLetterCount(origin)
      const run = makeApplyBatch({
        shadow,
        origin,
        options,
        clock,
        known: () => undefined,
        onRetry: Effect.void
      })
      const deadline = (yield* Clock.currentTimeMillis) + Duration.toMillis(options.timeout)
      let applied = 0
      let deadLettered = 0
      let stoppedBy: string | undefined
      for (;;) {
        if ((yield* Clock.currentTimeMillis) > deadline) {
          stoppedBy = `time ran out (${Duration.format(options.timeout)})`
          break
        }
        if (!(yield* lease.ensure)) {
          stoppedBy = "the applier lease was taken by another process"
          break
        }
        const entries = yield* primary.outbox.read(position, options.batchSize)
        if (entries.length === 0) break
        const outcome = yield* Effect.either(run(position, entries, held))
        if (outcome._tag === "Left") {
          stoppedBy = outcome.left.message
          break
        }
        position = outcome.right.to
        held = outcome.right.held
        applied += outcome.right.applied
        deadLettered += outcome.right.deadLettered.length
        yield* primary.outbox.trim(position)
      }
      const replay = stoppedBy === undefined ? yield* replayDeadLetters(shadow, origin) : null
      const pendingAfter = (yield* primary.outbox.stats(position)).pending
      return {
        pendingBefore,
        applied,
        deadLettered,
        pendingAfter,
        deadLettersBefore,
        replay,
        ...(stoppedBy === undefined ? {} : { stoppedBy })
      } satisfies DrainResult
    }).pipe(Effect.ensuring(lease.release))
  })
