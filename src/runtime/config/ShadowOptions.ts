/**
 * How shadow replication behaves: batches, polling, retries, the applier lease, shutdown and health reporting.
 * Read from the environment by `ModeConfig.shadowOptions`; tests pass explicit values.
 */
import { Duration } from "effect"

export interface ShadowOptions {
  /** Outbox entries the applier applies in one shadow transaction (one commit instead of many). */
  readonly batchSize: number
  /**
   * How long an applier woken by a write of its own process waits for more before applying what it found. A few
   * milliseconds turn a steady trickle into fewer, larger shadow commits. A read waiting for its own write, a flush
   * or the shutdown drain cuts it short, so it never delays a caller.
   */
  readonly batchLinger: Duration.Duration
  /**
   * How often an idle applier looks for entries other processes wrote (its own process wakes it at once), and how
   * often a process without the lease tries to take it.
   */
  readonly pollInterval: Duration.Duration
  /** Attempts of an entry the shadow refuses (not a lost connection, a busy file: those wait) before it is dead. */
  readonly retryAttempts: number
  /** Backoff after a failed attempt or an unreachable shadow: exponential from the base, capped at the max. */
  readonly retryBaseDelay: Duration.Duration
  readonly retryMaxDelay: Duration.Duration
  /**
   * How long the applier lease lasts unless renewed (renewed at a third of it). A process that dies holding it
   * hands over to another after at most this long.
   */
  readonly leaseTtl: Duration.Duration
  /** On shutdown, how long the applier may take to catch up; what is left waits in the outbox for the next start. */
  readonly drainTimeout: Duration.Duration
  /** Interval of the structured shadow-health log line; zero turns the log off. */
  readonly healthInterval: Duration.Duration
  /**
   * How often the shadow's gauges (outbox depth, age of the oldest pending write, dead letters, failure rate) are
   * refreshed for a metrics exporter; zero leaves them to the health line.
   */
  readonly metricsInterval: Duration.Duration
  /** How long a read from the shadow waits for earlier writes to reach it before the primary serves it. */
  readonly readWait: Duration.Duration
}

export const defaultShadowOptions: ShadowOptions = {
  batchSize: 500,
  batchLinger: Duration.millis(20),
  pollInterval: Duration.millis(250),
  retryAttempts: 3,
  retryBaseDelay: Duration.millis(50),
  retryMaxDelay: Duration.seconds(2),
  leaseTtl: Duration.seconds(10),
  drainTimeout: Duration.seconds(10),
  healthInterval: Duration.minutes(1),
  metricsInterval: Duration.seconds(10),
  readWait: Duration.millis(250)
}
