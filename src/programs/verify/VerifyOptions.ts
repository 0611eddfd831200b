/** How verify runs: which side is the primary, how much to sample, and what counts as fast enough. */
import { Config, type ConfigError, Effect } from "effect"
import { flag } from "../../runtime/config/ModeConfig.js"
import type { Backend } from "../../runtime/domain/Errors.js"
import { rejectsLocation } from "./Rejects.js"
import { VerifyError } from "./VerifyError.js"

/** Shadow-writer counts taken from a running bot, when the operator has them (the CLI cannot observe them). */
export interface ShadowMetricsSnapshot {
  readonly writes: number
  readonly failures: number
  /** Where the figures came from, shown in the report. */
  readonly source: string
  /** When the bot wrote them (a snapshot file says), in milliseconds since the epoch. */
  readonly writtenAt?: number | undefined
}

export interface VerifyOptions {
  /** The authoritative database: repair copies from it, and differences are named from its point of view. */
  readonly primary: Backend
  /** Rows per page when comparing tables by key range. */
  readonly pageSize: number
  /** How many differing keys of each kind to name per table. */
  readonly sampleKeys: number
  /** Runs of each read query for the latency percentile. */
  readonly latencyRuns: number
  /** The p95 a read query must stay under, in milliseconds (the guide's 100 ms). */
  readonly latencyThresholdMs: number
  /** Sample words searched on both databases. */
  readonly searchSamples: number
  /** Words always searched on both databases, besides the sampled ones (say, words an operator knows matter). */
  readonly searchWords: ReadonlyArray<string>
  /** The shadow failure rate must stay under this fraction (the guide's 1%). */
  readonly maxFailureRate: number
  /**
   * A file or directory of recorded rejects (JSON Lines), listed as explained differences. Unless given, the file
   * copy and import write by default (migration-rejects.jsonl in the working directory), when it exists.
   */
  readonly rejectsPath?: string | undefined
  readonly shadowMetrics?: ShadowMetricsSnapshot | undefined
}

export const defaultVerifyOptions: Omit<VerifyOptions, "primary"> = {
  pageSize: 1000,
  sampleKeys: 10,
  latencyRuns: 50,
  latencyThresholdMs: 100,
  searchSamples: 5,
  searchWords: [],
  maxFailureRate: 0.01
}

/**
 * The primary of the current mode flags: PostgreSQL once `USE_POSTGRES_PRIMARY=true`, SQLite before. Read with the
 * modes' strict flag, so a typo is an error rather than a silent "sqlite".
 */
export const primaryFromEnv: Config.Config<Backend> = flag("USE_POSTGRES_PRIMARY").pipe(
  Config.map((pgPrimary): Backend => (pgPrimary ? "postgres" : "sqlite"))
)

export const otherBackend = (backend: Backend): Backend => (backend === "sqlite" ? "postgres" : "sqlite")

/** The numeric settings that must be whole and at least some minimum; a page size of 0 would compare nothing. */
const minimums: ReadonlyArray<readonly [keyof VerifyOptions, number]> = [
  ["pageSize", 1],
  ["sampleKeys", 0],
  ["latencyRuns", 1],
  ["latencyThresholdMs", 0],
  ["searchSamples", 0]
]

const invalidSetting = (options: VerifyOptions): string | undefined => {
  for (const [name, min] of minimums) {
    const value = options[name]
    if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
      return `${name} must be an integer of at least ${min}, got ${JSON.stringify(value)}`
    }
  }
  if (!(options.maxFailureRate >= 0 && options.maxFailureRate <= 1)) {
    return `maxFailureRate must be between 0 and 1, got ${options.maxFailureRate}`
  }
  return undefined
}

/**
 * Options with the defaults filled in, the primary taken from the environment and the rejects from where a load
 * leaves them by default, unless given.
 */
export const resolveVerifyOptions = (
  options: Partial<VerifyOptions> = {}
): Effect.Effect<VerifyOptions, ConfigError.ConfigError | VerifyError> =>
  Effect.gen(function* () {
    const primary = options.primary ?? (yield* primaryFromEnv)
    const rejectsPath = yield* Effect.sync(() => rejectsLocation(options.rejectsPath))
    const resolved: VerifyOptions = { ...defaultVerifyOptions, ...stripUndefined(options), primary, rejectsPath }
    const invalid = invalidSetting(resolved)
    return invalid === undefined ? resolved : yield* new VerifyError({ message: `invalid verify option: ${invalid}` })
  })

const stripUndefined = <A extends object>(a: A): Partial<A> =>
  Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as Partial<A>
