/**
 * Waiting for background progress (a shadow apply, a health tick) by its condition, not by a fixed sleep: a sleep
 * is too short on a loaded machine and wasted time on an idle one.
 */
import { Clock, Duration, Effect } from "effect"

/**
 * Observes until `holds`, at most `within`; then returns the last observation either way, so the test's own
 * `expect` on it reports what was seen instead of a bare timeout.
 */
export const eventually = <A, E, R>(
  observe: Effect.Effect<A, E, R>,
  holds: (value: A) => boolean,
  within: Duration.DurationInput = Duration.seconds(30)
): Effect.Effect<A, E, R> =>
  Effect.gen(function* () {
    const deadline = (yield* Clock.currentTimeMillis) + Duration.toMillis(within)
    for (;;) {
      const value = yield* observe
      if (holds(value) || (yield* Clock.currentTimeMillis) >= deadline) return value
      yield* Effect.sleep(Duration.millis(20))
    }
  })
