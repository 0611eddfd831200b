/**
 * What compare reads counts, as process-wide metrics tagged by read operation (for a metrics exporter), and as
 * a per-instance snapshot (for `omega-db status` and the demo, which want plain numbers).
 */
import { Effect, Metric } from "effect"
import type { ReadOperation } from "./ReadCall.js"

/** Sampled reads whose comparison started (each ends as a match, a mismatch or an error). */
export const compareReadsTotal = Metric.counter("compare_reads_total", {
  description: "sampled reads also run on the other database"
})
/** Comparisons in which the other database answered differently, after the recheck. */
export const compareReadsMismatchTotal = Metric.counter("compare_reads_mismatch_total", {
  description: "sampled reads on which the two databases disagreed"
})
/** Differences that were gone on the recheck: the other database was still catching up. */
export const compareReadsTransientTotal = Metric.counter("compare_reads_transient_total", {
  description: "sampled reads that disagreed at first and agreed on the recheck"
})
/** Comparisons in which the other database failed or did not answer in time. */
export const compareReadsErrorTotal = Metric.counter("compare_reads_error_total", {
  description: "sampled reads the other database failed to answer"
})
/** Sampled reads not compared because too many comparisons were in flight. */
export const compareReadsSkippedTotal = Metric.counter("compare_reads_skipped_total", {
  description: "sampled reads skipped because too many comparisons were in flight"
})

export type Outcome = "started" | "matched" | "mismatched" | "transient" | "error" | "skipped"

export const countOutcome = (outcome: Exclude<Outcome, "matched">, operation: ReadOperation): Effect.Effect<void> => {
  const counter =
    outcome === "started"
      ? compareReadsTotal
      : outcome === "mismatched"
        ? compareReadsMismatchTotal
        : outcome === "transient"
          ? compareReadsTransientTotal
          : outcome === "error"
            ? compareReadsErrorTotal
            : compareReadsSkippedTotal
  return Metric.increment(Metric.tagged(counter, "operation", operation))
}

export interface OperationCounts {
  readonly compared: number
  readonly mismatched: number
  readonly transient: number
  readonly errors: number
  readonly skipped: number
}

export interface CompareReadsSnapshot extends OperationCounts {
  /** Comparisons running right now. */
  readonly inFlight: number
  /** The same counts per read operation, for the operations that were sampled at least once. */
  readonly byOperation: Readonly<Partial<Record<ReadOperation, OperationCounts>>>
}

export const emptyCounts: OperationCounts = { compared: 0, mismatched: 0, transient: 0, errors: 0, skipped: 0 }

/** Adds one outcome to a tally: `compared` counts verdicts (matched, mismatched or transient), not errors. */
export const addOutcome = (counts: OperationCounts, outcome: Outcome): OperationCounts => {
  switch (outcome) {
    case "started":
      return counts
    case "matched":
      return { ...counts, compared: counts.compared + 1 }
    case "mismatched":
      return { ...counts, compared: counts.compared + 1, mismatched: counts.mismatched + 1 }
    case "transient":
      return { ...counts, compared: counts.compared + 1, transient: counts.transient + 1 }
    case "error":
      return { ...counts, errors: counts.errors + 1 }
    case "skipped":
      return { ...counts, skipped: counts.skipped + 1 }
  }
}
