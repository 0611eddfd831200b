/**
 * The shadow's circuit breaker. Once a batch has used up its retries on a transient error the shadow counts as
 * down for a cooldown: lanes journal their writes at once instead of each retrying through the outage, so an
 * outage costs a journal insert per batch and the queue stays short. The first batch after the cooldown probes.
 */
import { type Clock, Duration, Effect } from "effect"
import type { Backend, StoreError } from "../domain/Errors.js"

export interface CircuitBreaker {
  readonly isOpen: () => boolean
  /** The error that opened it last, for journal entries and logs. */
  readonly lastError: () => string
  /** Opens (or re-opens) the circuit for a cooldown; logs when it was closed. */
  readonly trip: (error: StoreError) => Effect.Effect<void>
}

export const makeCircuitBreaker = (
  clock: Clock.Clock,
  cooldown: Duration.Duration,
  target: Backend
): CircuitBreaker => {
  let openUntil = 0
  let lastError = ""
  const isOpen = () => clock.unsafeCurrentTimeMillis() < openUntil
  return {
    isOpen,
    lastError: () => lastError,
    trip: (error) =>
      Effect.suspend(() => {
        const wasOpen = isOpen()
        openUntil = clock.unsafeCurrentTimeMillis() + Duration.toMillis(cooldown)
        lastError = error.message
        return wasOpen
          ? Effect.void
          : Effect.logWarning("shadow database unavailable: journaling shadow writes during the cooldown").pipe(
              Effect.annotateLogs({ target, cooldownMs: Duration.toMillis(cooldown), error: error.message })
            )
      })
  }
}
