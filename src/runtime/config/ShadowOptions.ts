/**
 * How the shadow writer behaves: queue bound, lanes, retries, shutdown and health reporting. Read from the
 * environment by `ModeConfig.shadowOptions`; tests pass explicit values.
 */
import { Duration } from "effect"

export interface ShadowOptions {
  /** Shadow writes held in memory at most. A write that finds the queue full goes straight to the journal. */
  readonly queueCapacity: number
  /** Independent lanes; writes to one aggregate always share a lane, so they reach the shadow in issue order. */
  readonly lanes: number
  /** A lane applies up to this many queued writes in one shadow transaction (one commit instead of many). */
  readonly batchSize: number
  /**
   * How long a lane that found fewer than `batchSize` writes waits for more before applying them. A few
   * milliseconds turn a steady trickle into fewer, larger shadow commits: less CPU, and far fewer disk flushes
   * competing with the primary's own (see bench/shadow-bench.ts). A read waiting for its own write, a flush or
   * the shutdown drain cuts the linger short, so it never delays a caller.
   */
  readonly batchLinger: Duration.Duration
  /** Attempts per shadow batch when the error is transient (connection lost, busy database). */
  readonly retryAttempts: number
  readonly retryBaseDelay: Duration.Duration
  readonly retryMaxDelay: Duration.Duration
  /**
   * After a batch exhausts its retries on a transient error the shadow counts as down for this long: lanes journal
   * without trying, so an outage costs journal inserts instead of a queue full of retries.
   */
  readonly circuitCooldown: Duration.Duration
  /** On shutdown, how long pending shadow writes may take to drain; what is left is journaled. */
  readonly drainTimeout: Duration.Duration
  /** Interval of the structured shadow-health log line (and of the journal refresh); zero turns the log off. */
  readonly healthInterval: Duration.Duration
  /** How long a read from the shadow waits for earlier writes to reach it before it is served by the primary. */
  readonly readWait: Duration.Duration
  /** Replay the journal automatically at each health interval while the shadow is healthy. */
  readonly autoReplay: boolean
}

export const defaultShadowOptions: ShadowOptions = {
  queueCapacity: 10_000,
  lanes: 4,
  batchSize: 100,
  batchLinger: Duration.millis(20),
  retryAttempts: 5,
  retryBaseDelay: Duration.millis(50),
  retryMaxDelay: Duration.seconds(2),
  circuitCooldown: Duration.seconds(5),
  drainTimeout: Duration.seconds(10),
  healthInterval: Duration.minutes(1),
  readWait: Duration.millis(250),
  autoReplay: false
}
