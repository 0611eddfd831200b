/**
 * Compare reads as a service: the layer owns the background comparisons (their fibers end with its scope) and
 * their counts, and decorates Stores or a whole StoreRouter. With a sample rate of 0 (the default) every
 * decoration is the identity, so the modes can apply it unconditionally.
 */
import { Context, Duration, Effect, Layer } from "effect"
import type { StoreRouterShape } from "../services/StoreRouter.js"
import type { Store } from "../store/Store.js"
import { compareReads } from "./CompareReads.js"
import { type CompareReadsOptions, compareReadsOptions, defaultCompareReadsOptions } from "./CompareReadsConfig.js"
import type { CompareReadsSnapshot } from "./CompareReadsMetrics.js"
import { makeComparisonRunner } from "./ComparisonRunner.js"

export interface ReadComparisonShape {
  readonly options: CompareReadsOptions
  /** `primary`, whose sampled reads are also run on `candidate` and compared. */
  readonly compareReads: (primary: Store, candidate: Store) => Store
  /** The router with its reads compared against `candidate` (the database it does not read from); writes untouched. */
  readonly wrapRouter: (router: StoreRouterShape, candidate: Store) => StoreRouterShape
  readonly snapshot: Effect.Effect<CompareReadsSnapshot>
  /** Waits until no comparison is running. */
  readonly awaitIdle: Effect.Effect<void>
}

export class ReadComparison extends Context.Tag("@repo/database/ReadComparison")<
  ReadComparison,
  ReadComparisonShape
>() {}

/** Options as a caller writes them: any field may be left out, durations as `"250 millis"`, numbers or Durations. */
export interface CompareReadsInput {
  readonly sampleRate?: number | undefined
  readonly maxInFlight?: number | undefined
  readonly timeout?: Duration.DurationInput | undefined
  readonly recheckAfter?: Duration.DurationInput | undefined
}

const withDefaults = (input: CompareReadsInput): CompareReadsOptions => ({
  sampleRate: input.sampleRate ?? defaultCompareReadsOptions.sampleRate,
  maxInFlight: input.maxInFlight ?? defaultCompareReadsOptions.maxInFlight,
  timeout: Duration.decode(input.timeout ?? defaultCompareReadsOptions.timeout),
  recheckAfter: Duration.decode(input.recheckAfter ?? defaultCompareReadsOptions.recheckAfter)
})

/** The comparisons' fibers live in the scope this runs in. */
export const make = (input: CompareReadsInput = {}) =>
  Effect.gen(function* () {
    const settings = withDefaults(input)
    const runner = yield* makeComparisonRunner(settings)
    const decorate = (primary: Store, candidate: Store) => compareReads(primary, candidate, { ...settings, runner })
    if (settings.sampleRate > 0) {
      yield* Effect.logInfo("compare reads on").pipe(
        Effect.annotateLogs({ sampleRate: settings.sampleRate, maxInFlight: settings.maxInFlight })
      )
    }
    return {
      options: settings,
      compareReads: decorate,
      wrapRouter: (router, candidate) =>
        settings.sampleRate > 0 ? { ...router, read: decorate(router.read, candidate) } : router,
      snapshot: runner.snapshot,
      awaitIdle: runner.awaitIdle
    } satisfies ReadComparisonShape
  })

export const layer = (input: CompareReadsInput = {}): Layer.Layer<ReadComparison> =>
  Layer.scoped(ReadComparison, make(input))

/** Reads `COMPARE_READS_*` (sample rate 0, i.e. off, when unset). */
export const layerConfig = Layer.unwrapEffect(Effect.map(compareReadsOptions, layer))
