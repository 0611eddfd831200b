/**
 * The shadow's health, readable while the bot runs: how far the shadow lags (outbox depth, age of the oldest
 * pending write), dead letters, this process's counts, and whether it is the applier. The periodic health log and
 * `verify`-style tools read this service; in a single-database mode it reports `enabled: false`.
 */
import { Context, Duration, Effect, Layer } from "effect"
import type { Backend, StoreError } from "../domain/Errors.js"
import type { ApplierPhase } from "./ShadowApplier.js"

export interface ShadowHealthSnapshot {
  readonly enabled: boolean
  readonly primary: Backend
  /** The shadow database, when there is one. */
  readonly target: Backend | null
  /** Writes this process committed on the primary with their outbox entry. */
  readonly submitted: number
  /** Outbox entries this process's applier tried on the shadow. */
  readonly attempted: number
  /** Outbox entries this process's applier applied to the shadow. */
  readonly succeeded: number
  /** Outbox entries this process's applier recorded as dead letters (the shadow cannot take them). */
  readonly failed: number
  /** The same count as `failed`, under the name older readers of this snapshot use (writes that missed the shadow). */
  readonly journaled: number
  /** Shadow attempts repeated after a failure. */
  readonly retries: number
  /** Always 0: a write and its outbox entry commit together, so no committed write can miss the outbox. */
  readonly unjournaled: number
  /** Entries committed but not applied to the shadow yet (the lag, in writes). */
  readonly outboxDepth: number
  /** How long the oldest of them has waited, in milliseconds (0 when none waits). */
  readonly oldestPendingAgeMs: number
  /** The last entry the shadow holds, and the last one committed. */
  readonly appliedSeq: number | null
  readonly headSeq: number
  /** Dead letters of this primary waiting in the shadow. */
  readonly deadLetters: number
  /** Aggregates whose writes wait behind a dead letter. */
  readonly heldAggregates: number
  /** Older names of `outboxDepth`. */
  readonly queueDepth: number
  readonly journalSize: number
  /** Share of resolved entries that became dead letters: failed / (succeeded + failed). */
  readonly failureRate: number
  readonly shadowConnected: boolean
  /** What the applier of this process is doing. */
  readonly applier: ApplierPhase | "disabled"
  /** Whether this process holds the applier lease (another process applies otherwise). */
  readonly isApplier: boolean
  /** The shadow cannot be written at the moment (not connected, or the last attempt failed). */
  readonly circuitOpen: boolean
  readonly lastError: string | null
  /** The shadow holds every committed write and no dead letter: reads may use it. */
  readonly inSync: boolean
  readonly readsFromShadow: number
  readonly readsFromPrimary: number
}

export interface ReplayFailure {
  readonly seq: number
  readonly aggregateKey: string
  readonly operation: string
  readonly error: string
}

/** What replaying the dead letters did. */
export interface ReplayResult {
  readonly target: Backend
  /** Dead letters applied to the shadow and removed. */
  readonly applied: number
  /** Dead letters that failed again, or wait behind one that did. */
  readonly kept: number
  /** Dead letters of this primary left afterwards. */
  readonly remaining: number
  /** Set when a transient error (the shadow unreachable) stopped the replay early, or when it could not run. */
  readonly stoppedBy?: string
  readonly failures: ReadonlyArray<ReplayFailure>
}

export interface ShadowHealthShape {
  readonly snapshot: Effect.Effect<ShadowHealthSnapshot, StoreError>
  /** Waits until the shadow holds every write committed so far; false if `timeout` passed first. */
  readonly flush: (timeout: Duration.DurationInput) => Effect.Effect<boolean>
  /** Replays the dead letters into the shadow, with the applier paused. */
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
      unjournaled: 0,
      outboxDepth: 0,
      oldestPendingAgeMs: 0,
      appliedSeq: null,
      headSeq: 0,
      deadLetters: 0,
      heldAggregates: 0,
      queueDepth: 0,
      journalSize: 0,
      failureRate: 0,
      shadowConnected: false,
      applier: "disabled" as const,
      isApplier: false,
      circuitOpen: false,
      lastError: null,
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
  const resolvedNow = current.succeeded + current.failed - (previous.succeeded + previous.failed)
  const failedNow = current.failed - previous.failed
  return {
    target: current.target ?? "none",
    applier: current.applier,
    writesPerSecond: Math.round(((current.submitted - previous.submitted) / seconds) * 10) / 10,
    appliedPerSecond: Math.round((resolvedNow / seconds) * 10) / 10,
    outboxDepth: current.outboxDepth,
    oldestPendingAgeMs: current.oldestPendingAgeMs,
    deadLetters: current.deadLetters,
    heldAggregates: current.heldAggregates,
    failurePercent: resolvedNow === 0 ? 0 : Math.round((failedNow / resolvedNow) * 10_000) / 100,
    failurePercentTotal: Math.round(current.failureRate * 10_000) / 100,
    shadowConnected: current.shadowConnected,
    ...(current.lastError === null ? {} : { lastError: current.lastError })
  }
}
