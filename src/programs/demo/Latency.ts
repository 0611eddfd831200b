/** Latency figures from measured durations: the percentiles the guide's success criteria speak of. */

export interface LatencySummary {
  readonly count: number
  readonly p50Ms: number
  readonly p95Ms: number
  readonly maxMs: number
}

const round = (ms: number) => Math.round(ms * 100) / 100

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!

export const summarizeLatency = (durationsMs: ReadonlyArray<number>): LatencySummary => {
  const sorted = [...durationsMs].sort((a, b) => a - b)
  return {
    count: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    maxMs: round(sorted.at(-1) ?? 0)
  }
}

export const describeLatency = (latency: LatencySummary): string =>
  `p50 ${latency.p50Ms} ms, p95 ${latency.p95Ms} ms, max ${latency.maxMs} ms`
