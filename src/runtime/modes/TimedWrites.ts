/** Primary write latency per backend, recorded in the `database_write_latency_ms` histogram. */
import { Duration, Effect, Metric } from "effect"
import type { StoreError } from "../domain/Errors.js"
import type { AppliedWrite, WriteOp } from "../domain/WriteOp.js"
import type { Store } from "../store/Store.js"
import { primaryLatency } from "./ShadowMetrics.js"

export const timedWrites = (store: Store): ((op: WriteOp) => Effect.Effect<AppliedWrite, StoreError>) => {
  const latency = primaryLatency(store.backend)
  return (op) =>
    Effect.timed(store.apply(op)).pipe(
      Effect.flatMap(([duration, applied]) => Effect.as(Metric.update(latency, Duration.toMillis(duration)), applied))
    )
}
