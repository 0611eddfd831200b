/**
 * "Read latency is acceptable (< 100 ms p95)": every read of BotReads.ts runs repeatedly on PostgreSQL through the
 * Store, exactly as the bot issues it (decoding included), the searches cycling through the sampled words (the
 * most frequent one among them), together with the guide's JSONB lookup on `metadata->>'key'`; the 95th
 * percentile of each is compared with the target. Wall-clock time is measured directly: the Effect Clock may be a
 * test clock.
 */
import type { SqlError } from "@effect/sql"
import { Effect } from "effect"
import { performance } from "node:perf_hooks"
import type { StoreError } from "../../../runtime/domain/Errors.js"
import type { Databases } from "../Databases.js"
import { check, type CheckResult } from "../VerifyReport.js"
import { type ReadKind, readsOfTheBot, sampleReadArguments } from "./BotReads.js"
import type { Samples } from "./Samples.js"

export type ReadQuery = ReadKind | "jsonb"

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

/** `run(i)` for i = 0..runs-1, after one unmeasured run (the first pays for planning and a cold cache). */
const measure = <E>(
  kind: ReadQuery,
  query: string,
  runs: number,
  run: (i: number) => Effect.Effect<unknown, E>
): Effect.Effect<QueryLatency, E> =>
  Effect.gen(function* () {
    yield* run(0)
    const times: Array<number> = []
    for (let i = 0; i < runs; i++) {
      const start = performance.now()
      yield* run(i)
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
    const argumentSets = samples.userId === undefined ? [] : yield* sampleReadArguments(pg, samples)
    const first = argumentSets[0]
    if (first !== undefined) {
      for (const read of readsOfTheBot) {
        // Only the word varies between argument sets: the searches cycle through them, the others read alike.
        const words = read.kind === "search" ? argumentSets.map((a) => a.word).join(", ") : undefined
        results.push(
          yield* measure(
            read.kind,
            words === undefined ? read.describe(first) : `${read.describe(first)} (words: ${words})`,
            runs,
            (i) => read.run(db.postgresStore, argumentSets[i % argumentSets.length]!)
          )
        )
      }
    }
    if (samples.jsonb !== undefined) {
      const { key, value } = samples.jsonb
      results.push(
        yield* measure(
          "jsonb",
          `metadata->>'${key}' = '${value}'`,
          runs,
          () => pg`SELECT * FROM messages WHERE metadata->>${key} = ${value} LIMIT 100`
        )
      )
    }
    return results
  })

const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`

const kinds: ReadonlyArray<ReadQuery> = ["timeline", "count", "lookup", "search", "jsonb"]

export const latencyCheck = (latencies: ReadonlyArray<QueryLatency>, thresholdMs: number): CheckResult => {
  if (latencies.length === 0) return check("read-latency", "skip", "not measured: no messages to query")
  const slow = latencies.filter((l) => l.p95Ms >= thresholdMs)
  // The slowest read of each kind, so the figure stays one line however many reads there are.
  const figure =
    kinds
      .flatMap((kind) => {
        const of = latencies.filter((l) => l.kind === kind)
        return of.length === 0 ? [] : [`p95 ${ms(Math.max(...of.map((l) => l.p95Ms)))} ${kind} (${of.length})`]
      })
      .join(", ") + ` (slowest of each kind; target < ${thresholdMs} ms, ${latencies[0]!.runs} runs each)`
  const details = latencies.map(
    (l) =>
      `${l.p95Ms >= thresholdMs ? "SLOW " : ""}${l.query}: p50 ${ms(l.p50Ms)}, p95 ${ms(l.p95Ms)}, max ${ms(l.maxMs)}`
  )
  return check("read-latency", slow.length === 0 ? "pass" : "fail", figure, details, latencies)
}
