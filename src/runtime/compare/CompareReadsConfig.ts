/**
 * Settings of compare reads, from the environment. Off unless `COMPARE_READS_SAMPLE_RATE` is above 0: the
 * comparison costs a read on the other database for every sampled read.
 */
import { Config, Duration } from "effect"

export interface CompareReadsOptions {
  /** The share of reads (0..1) that are also run on the other database and compared. 0 turns it off. */
  readonly sampleRate: number
  /** Comparisons allowed in flight at once; a sampled read beyond that is skipped (and counted), never queued. */
  readonly maxInFlight: number
  /** How long the other database may take to answer before the comparison counts as an error. */
  readonly timeout: Duration.Duration
  /**
   * On a mismatch, wait this long and read both databases again: the other database is fed asynchronously
   * (shadow writes), so a row written a moment ago may simply not have arrived yet. Only a difference that
   * survives the recheck is a mismatch. Zero disables the recheck.
   */
  readonly recheckAfter: Duration.Duration
}

export const defaultCompareReadsOptions: CompareReadsOptions = {
  sampleRate: 0,
  maxInFlight: 8,
  timeout: Duration.seconds(5),
  recheckAfter: Duration.millis(250)
}

const milliseconds = (name: string, fallback: Duration.Duration) =>
  Config.integer(name).pipe(
    Config.validate({
      message: `${name} must be a whole number of milliseconds, 0 or more`,
      validation: (n) => n >= 0
    }),
    Config.map(Duration.millis),
    Config.withDefault(fallback)
  )

export const compareReadsSampleRate: Config.Config<number> = Config.number("COMPARE_READS_SAMPLE_RATE").pipe(
  Config.validate({
    message: "COMPARE_READS_SAMPLE_RATE must be a share between 0 and 1",
    validation: (rate) => rate >= 0 && rate <= 1
  }),
  Config.withDefault(defaultCompareReadsOptions.sampleRate)
)

export const compareReadsOptions: Config.Config<CompareReadsOptions> = Config.all({
  sampleRate: compareReadsSampleRate,
  maxInFlight: Config.integer("COMPARE_READS_MAX_IN_FLIGHT").pipe(
    Config.validate({ message: "COMPARE_READS_MAX_IN_FLIGHT must be 1 or more", validation: (n) => n >= 1 }),
    Config.withDefault(defaultCompareReadsOptions.maxInFlight)
  ),
  timeout: milliseconds("COMPARE_READS_TIMEOUT_MS", defaultCompareReadsOptions.timeout),
  recheckAfter: milliseconds("COMPARE_READS_RECHECK_MS", defaultCompareReadsOptions.recheckAfter)
})
