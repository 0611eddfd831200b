/**
 * The shadow's health, readable while the bot runs: counts since start, queue depth, journal size and the
 * failure rate. `verify`-style tools and the periodic health log read this service; in a single-database mode it
 * reports `enabled: false`.
 */
import { Context, Duration, Effect, Layer } from "effect"
import type { Backend, StoreError } from "../domain/Errors.js"
import type { ReplayResult } from "./ShadowJournal.js"

export interface ShadowHealthSnapshot {
  readonly enabled: boolean
  readonly primary: Backend
  /** The shadow database, when there is one. */
  readonly target: Backend | null
  /** Writes handed to the shadow writer (after the primary committed them). */
  readonly submitted: number
  /** Writes tried on the shadow. */
  readonly attempted: number
  readonly succeeded: number
  /** Tried but not applied: failed after retries, or found no row to change. */
  readonly failed: number
  /** Recorded in the journal: failed ones plus those never tried (queue full, shadow down, held back, shutdown). */
  readonly journaled: number
  /** Batch attempts repeated after a transient error. */
  readonly retries: number
  /** Writes journaled because the queue was full. */
  readonly overflowed: number
  /** Writes that could be neither applied nor journaled (logged as errors; `verify`/`repair` must fix them). */
  readonly unjournaled: number
  readonly queueDepth: number
  readonly queueCapacity: number
  /** Entries for the target waiting in the journal. */
  readonly journalSize: number
  /** Share of resolved shadow writes that did not reach the shadow live: journaled / (succeeded + journaled). */
  readonly failureRate: number
  /** The shadow counted as down after exhausting retries; lanes journal without trying until it cools down. */
  readonly circuitOpen: boolean
  /** Aggregates whose later writes go to the journal because an earlier one is there. */
  readonly heldAggregates: number
  /** True when the shadow is known to hold every write resolved so far (reads may use it). */
  readonly inSync: boolean
  readonly readsFromShadow: number
  readonly readsFromPrimary: number
}

export interface ShadowHealthShape {
  readonly snapshot: Effect.Effect<ShadowHealthSnapshot, StoreError>
  /** Waits until every shadow write submitted so far is applied or journaled; false if `timeout` passed first. */
  readonly flush: (timeout: Duration.DurationInput) => Effect.Effect<boolean>
  /** Replays the journal into the shadow, coordinated with the live writer. */
  readonly replay: Effect.Effect<ReplayResult, StoreError>
}

export class ShadowHealth extends Context.Tag("@repo/database/ShadowHealth")<ShadowHealth, ShadowHealthShape>() {}

/** The health of a mode without a shadow. */
export const disabled = (primary: Backend): Layer.Layer<ShadowHealth> =>
  Layer.succeed(ShadowHealth, {
    snapshot: Effect.succeed({
      enabled: false,
      primary,
      target: null,
      submitted: 0,
      attempted: 0,
      succeeded: 0,
      failed: 0,
      journaled: 0,
      retries: 0,
      overflowed: 0,
      unjournaled: 0,
      queueDepth: 0,
      queueCapacity: 0,
      journalSize: 0,
      failureRate: 0,
      circuitOpen: false,
      heldAggregates: 0,
      inSync: true,
      readsFromShadow: 0,
      readsFromPrimary: 0
    }),
    flush: () => Effect.succeed(true),
    replay: Effect.succeed({ target: primary, applied: 0, kept: 0, remaining: 0, failures: [] })
  })

/** What one health log line says, computed from two consecutive snapshots `interval` apart. */
export const healthLine = (
  previous: ShadowHealthSnapshot,
  current: ShadowHealthSnapshot,
  interval: Duration.Duration
) => {
  const seconds = Math.max(Duration.toMillis(interval) / 1000, 0.001)
  const resolvedNow = current.succeeded + current.journaled - (previous.succeeded + previous.journaled)
  const journaledNow = current.journaled - previous.journaled
  return {
    target: current.target ?? "none",
    writesPerSecond: Math.round((resolvedNow / seconds) * 10) / 10,
    failurePercent: resolvedNow === 0 ? 0 : Math.round((journaledNow / resolvedNow) * 10_000) / 100,
    failurePercentTotal: Math.round(current.failureRate * 10_000) / 100,
    queueDepth: current.queueDepth,
    journalSize: current.journalSize,
    circuitOpen: current.circuitOpen,
    heldAggregates: current.heldAggregates,
    unjournaled: current.unjournaled
  }
}
