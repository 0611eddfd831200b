/**
 * Effect Metrics of the migration modes, tagged by backend so that any exporter (Prometheus, OpenTelemetry) can
 * chart the shadow next to the primary. The run-time snapshot (`ShadowHealth`) keeps its own per-instance
 * counts: the Metric registry is process-wide and would mix several databases opened in one process.
 */
import { Metric, MetricBoundaries } from "effect"
import type { Backend } from "../domain/Errors.js"

const latencyBoundaries = MetricBoundaries.exponential({ start: 0.05, factor: 2, count: 16 })

export const shadowAttempted = Metric.counter("shadow_writes_attempted", {
  description: "shadow writes tried on the shadow database",
  incremental: true
})
export const shadowSucceeded = Metric.counter("shadow_writes_succeeded", {
  description: "shadow writes applied on the shadow database",
  incremental: true
})
export const shadowFailed = Metric.counter("shadow_writes_failed", {
  description: "shadow writes that failed after retries or found no row to change",
  incremental: true
})
export const shadowJournaled = Metric.counter("shadow_writes_journaled", {
  description: "shadow writes recorded in the shadow journal (failed, overflowed, held back or left at shutdown)",
  incremental: true
})
export const shadowRetries = Metric.counter("shadow_write_retries", {
  description: "shadow batch attempts repeated after a transient error",
  incremental: true
})
export const shadowJournalLost = Metric.counter("shadow_writes_unjournaled", {
  description: "shadow writes that could be neither applied nor journaled (the primary refused the journal insert)",
  incremental: true
})
export const shadowQueueDepth = Metric.gauge("shadow_queue_depth", {
  description: "shadow writes waiting in memory"
})
export const shadowFailureRate = Metric.gauge("shadow_failure_rate", {
  description:
    "share of resolved shadow writes that did not reach the shadow live (journaled / (succeeded + journaled))"
})
export const shadowJournalSize = Metric.gauge("shadow_journal_size", {
  description: "entries waiting in the shadow journal"
})
export const readsServed = Metric.counter("database_reads_routed", {
  description: "reads in a shadowed mode, by the database that served them",
  incremental: true
})

/** Write latency in milliseconds: the primary per write, the shadow per batch. */
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
