/**
 * Shadow writes that survive crashes, outages and a second process: a transactional outbox.
 *
 * - Write: the primary applies the write and records the op the shadow must apply (`AppliedWrite.replicate`: an
 *   increment as its absolute result) in its outbox, in ONE primary transaction. Once the caller has its answer,
 *   the shadow write is as durable as the write itself; nothing is held in memory.
 * - Apply: one applier per primary (the lease), in the background, copies the outbox to the shadow in commit order
 *   and records the applied position in the shadow in the same transaction (ShadowApplier, ApplyBatch).
 * - Health: the snapshot, the periodic health line, flush (wait until the shadow holds every write committed so
 *   far) and replay (dead letters, with the applier paused).
 * - Shutdown: the applier gets `drainTimeout` to catch up, then gives up the lease so another process takes over
 *   at once; what is left waits in the outbox for whichever process applies next.
 *
 * Isolation: the applier and the health loop are fibers forked when the layer was built (`forkShadow`), never in a
 * caller's fiber or the primary's transaction (see ShadowIsolation and STYLE.md, "A trap in @effect/sql v3").
 */
import { Duration, Effect, Metric, Option, Schedule, type Scope } from "effect"
import { hostname } from "node:os"
import type { ShadowOptions } from "../config/ShadowOptions.js"
import type { Backend, StoreError } from "../domain/Errors.js"
import type { AppliedWrite, WriteOp } from "../domain/WriteOp.js"
import type { DatabaseStore } from "../store/Store.js"
import { makeApplierLease } from "./ApplierLease.js"
import { replayDeadLetters } from "./DeadLetterReplay.js"
import { makeShadowApplier } from "./ShadowApplier.js"
import type { ShadowConnection } from "./ShadowConnection.js"
import { healthLine, type ReplayResult, type ShadowHealthShape, type ShadowHealthSnapshot } from "./ShadowHealth.js"
import { forkShadow, isolated } from "./ShadowIsolation.js"
import * as M from "./ShadowMetrics.js"

export interface ShadowWriterDeps {
  readonly primary: DatabaseStore
  readonly connection: ShadowConnection
  readonly options: ShadowOptions
}

/** What consistent reads need to know of the shadow. */
export interface ShadowReadView {
  /** The shadow's store when it can answer reads: open, applied by this process, no dead letter, no failure. */
  readonly usable: () => Option.Option<DatabaseStore>
  /** The last entry the shadow holds (this process applying), else null. */
  readonly position: () => number | null
  /** True once the shadow holds entry `seq`; false after `timeout`. */
  readonly awaitPosition: (seq: number, timeout: Duration.Duration) => Effect.Effect<boolean>
  readonly countRead: (servedBy: "shadow" | "primary") => void
}

export interface ShadowWriter extends ShadowHealthShape {
  readonly target: Backend
  /** Applies `op` on the primary and records its replica in the outbox, in one primary transaction. */
  readonly write: (op: WriteOp) => Effect.Effect<AppliedWrite, StoreError>
  readonly reads: ShadowReadView
}

let instances = 0

export const make = (deps: ShadowWriterDeps): Effect.Effect<ShadowWriter, never, Scope.Scope> =>
  Effect.gen(function* () {
    const { connection, options, primary } = deps
    const target = connection.backend
    const clock = yield* Effect.clock
    const scope = yield* Effect.scope
    const holder = `${hostname()}:${process.pid}:${++instances}:${Math.random().toString(36).slice(2, 8)}`
    const lease = makeApplierLease(primary.outbox, holder, options.leaseTtl, clock)

    const counts = { submitted: 0, readsFromShadow: 0, readsFromPrimary: 0 }
    const submittedMetric = M.withBackend(M.shadowSubmitted, primary.backend)
    const attemptedMetric = M.withBackend(M.shadowAttempted, target)
    const succeededMetric = M.withBackend(M.shadowSucceeded, target)
    const retriesMetric = M.withBackend(M.shadowRetries, target)
    const deadMetric = M.withBackend(M.shadowDeadLettered, target)
    const depthMetric = M.withBackend(M.shadowOutboxDepth, target)
    const ageMetric = M.withBackend(M.shadowOldestPendingAge, target)
    const deadLettersMetric = M.withBackend(M.shadowDeadLetters, target)
    const failureRateMetric = M.withBackend(M.shadowFailureRate, target)
    const primaryLatency = M.primaryLatency(primary.backend)
    const shadowLatency = M.shadowLatency(target)

    const applier = yield* makeShadowApplier({
      primary,
      connection,
      lease,
      options,
      clock,
      onBatch: (batch) =>
        Effect.all(
          [
            Metric.incrementBy(attemptedMetric, batch.attempted),
            Metric.incrementBy(succeededMetric, batch.applied),
            Metric.incrementBy(deadMetric, batch.deadLettered.length),
            Metric.update(shadowLatency, batch.millis)
          ],
          { discard: true }
        ),
      onRetry: Metric.increment(retriesMetric)
    })

    // ---- write ------------------------------------------------------------------------------------------------

    const write = (op: WriteOp): Effect.Effect<AppliedWrite, StoreError> =>
      Effect.suspend(() => {
        const started = clock.unsafeCurrentTimeNanos()
        return Effect.flatMap(
          primary.applyRecorded(op, clock.unsafeCurrentTimeMillis()),
          ({ applied, payload, seq }) => {
            if (seq > 0) {
              counts.submitted++
              applier.committed(seq, payload, applied.replicate)
            }
            const millis = Number(clock.unsafeCurrentTimeNanos() - started) / 1e6
            return Effect.as(
              Effect.zipRight(
                Metric.update(primaryLatency, millis),
                seq > 0 ? Metric.increment(submittedMetric) : Effect.void
              ),
              applied
            )
          }
        )
      })

    // ---- health -----------------------------------------------------------------------------------------------

    /** How far the shadow is behind: entries committed and not applied, and when the oldest was committed. */
    interface Lag {
      readonly appliedSeq: number | null
      readonly headSeq: number
      readonly outboxDepth: number
      readonly oldestPendingAt: number | null
    }

    const current = (lag: Lag): ShadowHealthSnapshot => {
      const s = applier.state()
      const connected = Option.isSome(connection.current())
      const isApplier = lease.held() && s.position !== null
      const resolved = s.applied + s.deadLettered
      const failureRate = resolved === 0 ? 0 : s.deadLettered / resolved
      const oldestPendingAgeMs =
        lag.outboxDepth === 0 || lag.oldestPendingAt === null
          ? 0
          : Math.max(0, clock.unsafeCurrentTimeMillis() - lag.oldestPendingAt)
      return {
        enabled: true,
        primary: primary.backend,
        target,
        submitted: counts.submitted,
        attempted: s.attempted,
        succeeded: s.applied,
        failed: s.deadLettered,
        journaled: s.deadLettered,
        retries: s.retries,
        unjournaled: 0,
        outboxDepth: lag.outboxDepth,
        oldestPendingAgeMs,
        appliedSeq: lag.appliedSeq,
        headSeq: lag.headSeq,
        deadLetters: s.deadLetters,
        heldAggregates: s.heldAggregates,
        queueDepth: lag.outboxDepth,
        journalSize: lag.outboxDepth,
        failureRate,
        shadowConnected: connected,
        applier: s.phase,
        isApplier,
        circuitOpen: !connected || s.phase === "retrying",
        lastError: s.lastError,
        inSync: connected && isApplier && lag.outboxDepth === 0 && s.deadLetters === 0 && s.phase !== "retrying",
        readsFromShadow: counts.readsFromShadow,
        readsFromPrimary: counts.readsFromPrimary
      }
    }

    /**
     * The lag, bounded in time (a busy primary must not hold up the health line). While this process applies it
     * knows the shadow's position; otherwise it asks the shadow (when open) and counts the outbox after it. In the
     * caller's context: inside a transaction of the primary it sees the caller's own entries, outside one (the
     * health loop) committed entries only.
     */
    const readLag: Effect.Effect<Lag> = Effect.suspend(() => {
      const s = applier.state()
      if (s.position !== null) {
        const position = s.position
        return Effect.zipWith(primary.outbox.head, primary.outbox.read(position, 1), (head, first) => {
          const headSeq = Math.max(head, s.head, position)
          const oldestPendingAt = first[0]?.recordedAt ?? null
          return { appliedSeq: position, headSeq, outboxDepth: headSeq - position, oldestPendingAt }
        })
      }
      const shadow = connection.current()
      const shadowPosition = Option.isNone(shadow)
        ? Effect.succeed(null)
        : Effect.flatMap(primary.outbox.origin, (origin) => isolated(shadow.value.replica.appliedPosition(origin)))
      return Effect.flatMap(shadowPosition, (appliedSeq) =>
        Effect.map(primary.outbox.stats(appliedSeq ?? 0), (stats) => ({
          appliedSeq,
          headSeq: Math.max(stats.head, appliedSeq ?? 0),
          outboxDepth: stats.pending,
          oldestPendingAt: stats.oldestPendingAt
        }))
      )
    }).pipe(
      Effect.timeout(Duration.seconds(1)),
      Effect.orElseSucceed(() => {
        const s = applier.state()
        const headSeq = Math.max(s.head, s.position ?? 0)
        return {
          appliedSeq: s.position,
          headSeq,
          outboxDepth: s.position === null ? 0 : headSeq - s.position,
          oldestPendingAt: s.oldestPendingAt
        }
      })
    )

    const snapshot: Effect.Effect<ShadowHealthSnapshot, StoreError> = Effect.map(readLag, current)

    const flush = (timeout: Duration.DurationInput) =>
      Effect.gen(function* () {
        const until = Duration.decode(timeout)
        const deadline = clock.unsafeCurrentTimeMillis() + Duration.toMillis(until)
        // What the caller can see: its own writes, even uncommitted ones (a flush inside a transaction then waits
        // for its timeout: those writes reach the shadow only once committed).
        const head = yield* primary.outbox.head.pipe(
          Effect.timeout(until),
          Effect.orElseSucceed(() => Number.MAX_SAFE_INTEGER)
        )
        for (;;) {
          const left = deadline - clock.unsafeCurrentTimeMillis()
          if (left <= 0) return false
          const position = applier.state().position
          if (position !== null && position >= head) return true
          if (lease.held() && position !== null) {
            if (yield* applier.awaitPosition(head, Duration.millis(Math.min(left, 200)))) return true
            continue
          }
          // Another process applies (or none yet): ask the shadow itself how far it got.
          const shadow = connection.current()
          const origin = yield* Effect.option(primary.outbox.origin)
          if (Option.isSome(shadow) && Option.isSome(origin)) {
            const at = yield* isolated(shadow.value.replica.appliedPosition(origin.value)).pipe(
              Effect.map((p) => p ?? -1),
              Effect.orElseSucceed(() => -1)
            )
            if (at >= head) {
              // Committed by this process's applier a moment ago, perhaps: let it catch up with its own commit.
              if (lease.held()) yield* applier.awaitPosition(head, Duration.millis(Math.min(left, 1000)))
              return true
            }
          }
          yield* Effect.sleep(Duration.millis(Math.min(left, 50)))
        }
      })

    const replay: Effect.Effect<ReplayResult, StoreError> = applier
      .exclusive(({ origin, shadow }) => isolated(replayDeadLetters(shadow, origin)))
      .pipe(
        Effect.map(
          Option.getOrElse((): ReplayResult => ({
            target,
            applied: 0,
            kept: 0,
            remaining: applier.state().deadLetters,
            failures: [],
            stoppedBy: "this process is not the shadow applier (not connected yet, or another process holds the lease)"
          }))
        ),
        Effect.withLogSpan("dead letter replay")
      )

    const publishGauges = (now: ShadowHealthSnapshot) =>
      Effect.all(
        [
          Metric.set(depthMetric, now.outboxDepth),
          Metric.set(ageMetric, now.oldestPendingAgeMs),
          Metric.set(deadLettersMetric, now.deadLetters),
          Metric.set(failureRateMetric, now.failureRate)
        ],
        { discard: true }
      )

    /** Runs `tick` at a fixed rate (a slow tick, a busy primary, does not push the next one back), first after one interval. */
    const every = (interval: Duration.Duration, what: string, tick: Effect.Effect<void, StoreError>) =>
      forkShadow(
        Effect.repeat(
          tick.pipe(Effect.catchAllCause((cause) => Effect.logWarning(`${what} failed`, cause))),
          Schedule.fixed(interval)
        ).pipe(Effect.delay(interval)),
        scope
      )

    if (Duration.toMillis(options.healthInterval) > 0) {
      let previous = current({ appliedSeq: null, headSeq: 0, outboxDepth: 0, oldestPendingAt: null })
      yield* every(
        options.healthInterval,
        "shadow health check",
        Effect.gen(function* () {
          const now = yield* snapshot
          const line = healthLine(previous, now, options.healthInterval)
          previous = now
          yield* publishGauges(now)
          const lagging = now.oldestPendingAgeMs > Math.max(Duration.toMillis(options.healthInterval), 60_000)
          const log =
            now.deadLetters > 0 || !now.shadowConnected || now.circuitOpen || lagging
              ? Effect.logWarning
              : Effect.logInfo
          yield* log("shadow health").pipe(Effect.annotateLogs(line))
        })
      )
    }
    // The gauges a metrics exporter reads, fresher than the health line.
    if (Duration.toMillis(options.metricsInterval) > 0) {
      yield* every(options.metricsInterval, "shadow gauges refresh", Effect.flatMap(snapshot, publishGauges))
    }

    // ---- shutdown ---------------------------------------------------------------------------------------------

    // Added after the applier was forked, so it runs before the scope interrupts it.
    yield* Effect.addFinalizer(() =>
      Effect.gen(function* () {
        const before = applier.state()
        // An applier waiting for a shadow known to be unreachable (or standing by for another process) would only
        // wait out the timeout; one still opening the shadow for the first time, or applying, gets it.
        const unreachable = before.phase === "retrying" || connection.lastError() !== null
        const drained = unreachable || before.phase === "standby" ? false : yield* flush(options.drainTimeout)
        yield* applier.stop
        yield* lease.release
        const after = current(yield* readLag)
        // The figures a metrics exporter sends last, as they stand at shutdown.
        yield* publishGauges(after)
        yield* Effect.logInfo("shadow applier stopped").pipe(
          Effect.annotateLogs({
            target,
            drained,
            applied: after.succeeded,
            pendingAtShutdown: after.outboxDepth,
            phaseAtShutdown: before.phase
          })
        )
      })
    )

    return {
      target,
      write,
      reads: {
        usable: () => {
          const s = applier.state()
          const shadow = connection.current()
          return lease.held() && s.position !== null && s.deadLetters === 0 && s.phase !== "retrying"
            ? shadow
            : Option.none()
        },
        position: () => applier.state().position,
        awaitPosition: applier.awaitPosition,
        countRead: (servedBy) => {
          if (servedBy === "shadow") counts.readsFromShadow++
          else counts.readsFromPrimary++
        }
      },
      snapshot,
      flush,
      replay
    } satisfies ShadowWriter
  })
