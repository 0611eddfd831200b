/**
 * `verify`: the migration guide's success criteria, checked against both databases and returned as a report
 * (one check per criterion, each with its figure). A check that cannot run — a missing table, a lost
 * connection — is reported as failed with the reason, and the remaining checks still run.
 */
import { type ConfigError, Effect } from "effect"
import { performance } from "node:perf_hooks"
import type { PostgresDatabase } from "../../runtime/layers/PostgresDatabase.js"
import type { SqliteDatabase } from "../../runtime/layers/SqliteDatabase.js"
import type { MalformedReject } from "../data/RejectRecord.js"
import { compareContent, contentCheck, countRows, rowCountCheck } from "./checks/ContentCheck.js"
import { foreignKeyCheck, inspectForeignKeys } from "./checks/ForeignKeyCheck.js"
import { jsonbCheck, runJsonbLookups } from "./checks/JsonbCheck.js"
import { latencyCheck, measureLatency } from "./checks/LatencyCheck.js"
import { inspectPlans, queryPlanCheck } from "./checks/QueryPlanCheck.js"
import { busiestUser, type Samples, sampleJsonb, sampleWords } from "./checks/Samples.js"
import { schemaCheck } from "./checks/SchemaCheck.js"
import { compareSearches, inspectSqliteFts, searchCheck } from "./checks/SearchCheck.js"
import { inspectTallies, tallyCheck } from "./checks/TallyCheck.js"
import { deadLetterCheck, failureRateCheck, outboxCheck, readShadowState } from "./checks/ShadowChecks.js"
import { databases } from "./Databases.js"
import { describeCause, describeError } from "./Describe.js"
import { noRejects, readRejects } from "./Rejects.js"
import type { VerifyError } from "./VerifyError.js"
import { resolveVerifyOptions, type VerifyOptions } from "./VerifyOptions.js"
import { check, type CheckName, type CheckResult, type VerifyReport, reportOk } from "./VerifyReport.js"

const guard = <R>(
  name: CheckName,
  effect: Effect.Effect<CheckResult, unknown, R>
): Effect.Effect<CheckResult, never, R> =>
  Effect.catchAllCause(effect, (cause) => Effect.succeed(check(name, "fail", `could not run: ${describeCause(cause)}`)))

export const verify = (
  input: Partial<VerifyOptions> = {}
): Effect.Effect<
  VerifyReport,
  VerifyError | MalformedReject | ConfigError.ConfigError,
  SqliteDatabase | PostgresDatabase
> =>
  Effect.gen(function* () {
    const options = yield* resolveVerifyOptions(input)
    const startedAt = new Date().toISOString()
    const start = performance.now()
    const rejects = options.rejectsPath === undefined ? noRejects : yield* readRejects(options.rejectsPath)
    const db = yield* databases
    const n = options.sampleKeys

    const schema = yield* guard("schema", schemaCheck(db))
    const findings = yield* compareContent(db, rejects, options.pageSize, n)
    const counts = yield* guard(
      "row-counts",
      Effect.map(countRows(db), (c) => rowCountCheck(c, findings, rejects, n))
    )
    const content = contentCheck(findings)
    const shadowState = yield* Effect.either(readShadowState(db, n))
    const outbox =
      shadowState._tag === "Right"
        ? outboxCheck(shadowState.right)
        : check("shadow-outbox", "fail", `could not run: ${describeError(shadowState.left)}`)
    const deadLetters =
      shadowState._tag === "Right"
        ? deadLetterCheck(shadowState.right)
        : check("shadow-dead-letters", "fail", `could not run: ${describeError(shadowState.left)}`)
    const failureRate = failureRateCheck(options.shadowMetrics, options.maxFailureRate)

    // Sampled once, from the data, and shared by the read checks (each of which fails alone if sampling did).
    const samples: Effect.Effect<Samples, unknown> = yield* Effect.cached(
      Effect.all({
        userId: busiestUser(db.postgres),
        words: Effect.map(sampleWords(db.client(options.primary), options.searchSamples), (sampled) => [
          ...new Set([...options.searchWords, ...sampled])
        ]),
        jsonb: sampleJsonb(db.postgres)
      })
    )
    const latency = yield* guard(
      "read-latency",
      samples.pipe(
        Effect.flatMap((s) => measureLatency(db, s, options.latencyRuns)),
        Effect.map((l) => latencyCheck(l, options.latencyThresholdMs))
      )
    )
    const search = yield* guard(
      "full-text-search",
      Effect.gen(function* () {
        const fts = yield* inspectSqliteFts(db.sqlite)
        const comparisons = yield* compareSearches(db, (yield* samples).words, rejects)
        return searchCheck(fts, comparisons, n)
      })
    )
    const jsonb = yield* guard(
      "jsonb",
      samples.pipe(
        Effect.flatMap((s) =>
          s.jsonb === undefined ? Effect.succeed(undefined) : runJsonbLookups(db, s.jsonb, rejects)
        ),
        Effect.map((f) => jsonbCheck(f, rejects, n))
      )
    )
    const foreignKeys = yield* guard(
      "foreign-keys",
      Effect.map(inspectForeignKeys(db), (f) => foreignKeyCheck(f, rejects, n))
    )
    const plans = yield* guard(
      "query-plans",
      samples.pipe(
        Effect.flatMap((s) => inspectPlans(db, s)),
        Effect.map(queryPlanCheck)
      )
    )

    const tallies = yield* guard(
      "tallies",
      Effect.map(inspectTallies(db), (f) => tallyCheck(f, n))
    )

    const checks = [
      schema,
      counts,
      content,
      tallies,
      outbox,
      deadLetters,
      failureRate,
      latency,
      search,
      jsonb,
      foreignKeys,
      plans
    ]
    return {
      ok: reportOk(checks),
      primary: options.primary,
      startedAt,
      durationMs: Math.round(performance.now() - start),
      checks
    }
  })
