/** `omega-db verify`: the migration guide's success criteria as a checklist; exits non-zero when a check fails. */
import { Command, Options } from "@effect/cli"
import { Config, Effect, Layer, Option } from "effect"
import { renderVerifyText } from "../../verify/RenderVerifyReport.js"
import { readShadowMetrics } from "../../verify/ShadowMetricsFile.js"
import { verify } from "../../verify/Verify.js"
import { VerificationFailed, type VerifyError } from "../../verify/VerifyError.js"
import { defaultVerifyOptions, type VerifyOptions } from "../../verify/VerifyOptions.js"
import type { VerifyReport } from "../../verify/VerifyReport.js"
import { postgresLayer, type SharedOptions, shared } from "../Options.js"
import { printSummary } from "../Output.js"
import { checkPostgresUrl } from "../PostgresUrl.js"
import { botDatabaseLayer } from "../SqliteFileGuard.js"
import { wholeNumber } from "../WholeNumberOption.js"

const d = defaultVerifyOptions

/** The options verify and repair share. */
export const verifyOptions = {
  ...shared,
  primary: Options.choice("primary", ["sqlite", "postgres"]).pipe(
    Options.withDescription("the authoritative database (default: postgres if USE_POSTGRES_PRIMARY=true, else sqlite)"),
    Options.optional
  ),
  rejects: Options.text("rejects").pipe(
    Options.withDescription(
      "recorded rejects (a JSON Lines file, or a directory of them): listed as explained differences " +
        "(default: the copy's migration-rejects.jsonl in the working directory, when it exists)"
    ),
    Options.optional
  ),
  shadowMetrics: Options.text("shadow-metrics").pipe(
    Options.withDescription(
      "the bot's shadow health snapshot (JSON), to check the shadow write failure rate " +
        "(default: the file the bot writes, SHADOW_METRICS_FILE, when set)"
    ),
    Options.withFallbackConfig(Config.string("SHADOW_METRICS_FILE")),
    Options.optional
  ),
  sampleKeys: wholeNumber("sample-keys", { min: 0 }).pipe(
    Options.withDescription("differing keys named per table and kind"),
    Options.withDefault(d.sampleKeys)
  ),
  pageSize: wholeNumber("page-size", { min: 1 }).pipe(
    Options.withDescription("rows per key range when comparing tables"),
    Options.withDefault(d.pageSize)
  ),
  latencyRuns: wholeNumber("latency-runs", { min: 1 }).pipe(
    Options.withDescription("runs of each read query for the p95"),
    Options.withDefault(d.latencyRuns)
  ),
  latencyTarget: wholeNumber("latency-target-ms", { min: 0 }).pipe(
    Options.withDescription("the p95 each read query must stay under"),
    Options.withDefault(d.latencyThresholdMs)
  ),
  searchWords: Options.text("search-word").pipe(
    Options.withDescription("a word to search on both databases besides the sampled ones (repeatable)"),
    Options.repeated
  ),
  searchSamples: wholeNumber("search-samples", { min: 0 }).pipe(
    Options.withDescription("words sampled from the messages and searched on both databases"),
    Options.withDefault(d.searchSamples)
  )
} as const

export interface VerifyFlags extends SharedOptions {
  readonly primary: Option.Option<"sqlite" | "postgres">
  readonly rejects: Option.Option<string>
  readonly shadowMetrics: Option.Option<string>
  readonly sampleKeys: number
  readonly pageSize: number
  readonly latencyRuns: number
  readonly latencyTarget: number
  readonly searchSamples: number
  readonly searchWords: ReadonlyArray<string>
}

export const verifySettings = (flags: VerifyFlags): Effect.Effect<Partial<VerifyOptions>, VerifyError> =>
  Effect.gen(function* () {
    const shadowMetrics = Option.isSome(flags.shadowMetrics)
      ? yield* readShadowMetrics(flags.shadowMetrics.value)
      : undefined
    return {
      primary: Option.getOrUndefined(flags.primary),
      rejectsPath: Option.getOrUndefined(flags.rejects),
      shadowMetrics,
      sampleKeys: flags.sampleKeys,
      pageSize: flags.pageSize,
      latencyRuns: flags.latencyRuns,
      latencyThresholdMs: flags.latencyTarget,
      searchSamples: flags.searchSamples,
      searchWords: flags.searchWords
    }
  })

/**
 * Both databases as they are: verify and repair never migrate a schema (a pending migration is a finding), and
 * open only the bot's SQLite database (a file of no tables or of another application is refused untouched).
 */
export const bothDatabases = (flags: SharedOptions) =>
  Layer.merge(botDatabaseLayer(flags), postgresLayer(flags, { migrate: false }))

/** After the report is printed: fail when a check failed, so the exit code tells scripts. */
export const failOnFailedChecks = (report: VerifyReport) =>
  report.ok
    ? Effect.void
    : Effect.fail(
        new VerificationFailed({ failed: report.checks.filter((c) => c.status === "fail").map((c) => c.name) })
      )

export const verifyCommand = Command.make("verify", verifyOptions, (flags) =>
  // Settings are checked before a database is opened.
  Effect.all([checkPostgresUrl(flags.postgres), verifySettings(flags)]).pipe(
    Effect.flatMap(([, settings]) => verify(settings).pipe(Effect.provide(bothDatabases(flags)))),
    Effect.tap((report) => printSummary(report, flags.json, renderVerifyText)),
    Effect.flatMap(failOnFailedChecks)
  )
).pipe(
  Command.withDescription(
    "Check the guide's success criteria on both databases (tables, counts, row checksums, shadow outbox and " +
      "dead letters, " +
      "latency, search, JSONB, foreign keys, query plans); exits non-zero if any check fails"
  )
)
