/**
 * Effect Metrics of the migration modes, tagged by backend so that any exporter (Prometheus, OpenTelemetry) can
 * chart the shadow next to the primary. The run-time snapshot (`ShadowHealth`) keeps its own per-instance
 * counts: the Metric registry is process-wide and would mix several databases opened in one process.
 */
import { Metric, MetricBoundaries } from "effect"
import type { Backend } from "../domain/Errors.js"

const latencyBoundaries = MetricBoundaries.exponential({ start: 0.05, factor: 2, count: 16 })

export const shadowSubmitted = Metric.counter("shadow_writes_recorded", {
  description: "writes committed on the primary together with their outbox entry",
  incremental: true
})
export const shadowAttempted = Metric.counter("shadow_writes_attempted", {
  description: "outbox entries the applier tried on the shadow (each ends applied or dead-lettered)",
  incremental: true
})
export const shadowSucceeded = Metric.counter("shadow_writes_succeeded", {
  description: "outbox entries applied to the shadow database",
  incremental: true
})
export const shadowDeadLettered = Metric.counter("shadow_writes_dead_lettered", {
  description: "outbox entries the shadow cannot take, recorded as dead letters with their reason",
  incremental: true
})
export const shadowRetries = Metric.counter("shadow_write_retries", {
  description: "shadow attempts repeated after a failure",
  incremental: true
})
export const shadowOutboxDepth = Metric.gauge("shadow_outbox_depth", {
  description: "writes committed on the primary and not yet applied to the shadow"
})
export const shadowOldestPendingAge = Metric.gauge("shadow_outbox_oldest_age_ms", {
  description: "how long the oldest write not yet applied to the shadow has waited, in milliseconds"
})
export const shadowDeadLetters = Metric.gauge("shadow_dead_letters", {
  description: "dead letters waiting in the shadow (replay them, or repair)"
})
export const shadowFailureRate = Metric.gauge("shadow_failure_rate", {
  description: "share of resolved outbox entries that became dead letters (failed / (succeeded + failed))"
})
export const readsServed = Metric.counter("database_reads_routed", {
  description: "reads in a shadowed mode, by the database that served them",
  incremental: true
})

/** Write latency in milliseconds: the primary per write (with its outbox entry), the shadow per batch. */
export const writeLatency = Metric.histogram(
  "database_write_latency_ms",
  latencyBoundaries,
  "write latency per backend in milliseconds (primary: per write; shadow: per batch)"
)

export const withBackend = <Type, In, Out>(metric: Metric.Metric<Type, In, Out>, backend: Backend) =>
  Metric.tagged(metric, "backend", backend)

export const primaryLatency = (backend: Backend) =>
  Metric.tagged(Metric.tagged(writeLatency, "backend", backend), "role", "primary")
export const shadowLatency = (backend: Backend) =>
  Metric.tagged(Metric.tagged(writeLatency, "backend", backend), "role", "shadow")
