/**
 * The writes of a single-database mode: U+0000 removed from text (as in the shadowed modes, so a write behaves the
 * same on either backend), primary latency recorded in the `database_write_latency_ms` histogram.
 */
import { Duration, Effect, Metric } from "effect"
import type { StoreError } from "../domain/Errors.js"
import type { AppliedWrite, WriteOp } from "../domain/WriteOp.js"
import type { Store } from "../store/Store.js"
import { writeWithoutNul } from "./NulText.js"
import { primaryLatency } from "./ShadowMetrics.js"

export const timedWrites = (store: Store): ((op: WriteOp) => Effect.Effect<AppliedWrite, StoreError>) => {
  const latency = primaryLatency(store.backend)
  return writeWithoutNul((op) =>
    Effect.timed(store.apply(op)).pipe(
      Effect.flatMap(([duration, applied]) => Effect.as(Metric.update(latency, Duration.toMillis(duration)), applied))
    )
  )
}
