/**
 * "Read latency is acceptable (< 100 ms p95)": the guide's three reads run repeatedly on PostgreSQL — a user's
 * latest 100 messages and a full-text search, both through the Store exactly as the bot issues them (decoding
 * included), and a JSONB lookup on `metadata->>'key'` — and the 95th percentile of each is compared with the
 * target. Wall-clock time is measured directly: the Effect Clock may be a test clock.
 */
import type { SqlError } from "@effect/sql"
import { Effect } from "effect"
import { performance } from "node:perf_hooks"
import type { StoreError } from "../../../runtime/domain/Errors.js"
import type { Databases } from "../Databases.js"
import { check, type CheckResult } from "../VerifyReport.js"
import type { Samples } from "./Samples.js"

export type ReadQuery = "timeline" | "search" | "jsonb"

export interface QueryLatency {
  readonly kind: ReadQuery
  /** The query with its sampled argument, as shown in the details. */
  readonly query: string
  readonly runs: number
  readonly p50Ms: number
  readonly p95Ms: number
  readonly maxMs: number
}

/** Nearest-rank percentile of a sample. */
export const percentile = (values: ReadonlyArray<number>, p: number): number => {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!
}

const measure = <E>(
  kind: ReadQuery,
  query: string,
  runs: number,
  effect: Effect.Effect<unknown, E>
): Effect.Effect<QueryLatency, E> =>
  Effect.gen(function* () {
    // One unmeasured run first: the first execution pays for planning and a cold cache.
    yield* effect
    const times: Array<number> = []
    for (let i = 0; i < runs; i++) {
      const start = performance.now()
      yield* effect
      times.push(performance.now() - start)
    }
    return {
      kind,
      query,
      runs,
      p50Ms: percentile(times, 0.5),
      p95Ms: percentile(times, 0.95),
      maxMs: Math.max(...times)
    }
  })

export const measureLatency = (
  db: Databases,
  samples: Samples,
  runs: number
): Effect.Effect<ReadonlyArray<QueryLatency>, SqlError.SqlError | StoreError> =>
  Effect.gen(function* () {
    const results: Array<QueryLatency> = []
    const pg = db.postgres
    if (samples.userId !== undefined) {
      const userId = samples.userId
      results.push(
        yield* measure(
          "timeline",
          `latest 100 messages of ${userId}`,
          runs,
          db.postgresStore.queryMessages({ userId, limit: 100 })
        )
      )
    }
    const word = samples.words[0]
    if (word !== undefined) {
      results.push(
        yield* measure(
          "search",
          `search "${word}"`,
          runs,
          db.postgresStore.queryMessages({ searchText: word, limit: 100 })
        )
      )
    }
    if (samples.jsonb !== undefined) {
      const { key, value } = samples.jsonb
      results.push(
        yield* measure(
          "jsonb",
          `metadata->>'${key}' = '${value}'`,
          runs,
          pg`SELECT * FROM messages WHERE metadata->>${key} = ${value} LIMIT 100`
        )
      )
    }
    return results
  })

const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`

export const latencyCheck = (latencies: ReadonlyArray<QueryLatency>, thresholdMs: number): CheckResult => {
  if (latencies.length === 0) return check("read-latency", "skip", "not measured: no messages to query")
  const slow = latencies.filter((l) => l.p95Ms >= thresholdMs)
  const figure =
    latencies.map((l) => `p95 ${ms(l.p95Ms)} ${l.kind}`).join(", ") +
    ` (target < ${thresholdMs} ms, ${latencies[0]!.runs} runs each)`
  const details = latencies.map(
    (l) =>
      `${l.p95Ms >= thresholdMs ? "SLOW " : ""}${l.query}: p50 ${ms(l.p50Ms)}, p95 ${ms(l.p95Ms)}, max ${ms(l.maxMs)}`
  )
  return check("read-latency", slow.length === 0 ? "pass" : "fail", figure, details, latencies)
}
