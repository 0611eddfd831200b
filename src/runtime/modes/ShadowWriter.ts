/**
 * Replicates committed writes to the shadow database in the background, losing none.
 *
 * - Lanes: a write goes to the lane its aggregate key hashes to; a lane applies its writes one batch at a time in
 *   issue order, so one aggregate's writes reach the shadow in order while different aggregates go concurrently.
 *   A lane that finds fewer than `batchSize` writes lingers briefly for more (fewer, larger shadow commits).
 * - Batches, retries, circuit breaker: see ShadowBatch and CircuitBreaker.
 * - Journal: a write that still fails, that finds no row to change on the shadow, that finds the queue full or
 *   the shadow down (circuit open), or that is still pending when shutdown's drain times out, is recorded in the
 *   ShadowJournal in the primary database. Once an aggregate has a journaled write, its later writes are
 *   journaled too, so that replay applies the aggregate's history in order.
 * - Memory: at most `queueCapacity` writes wait in memory; beyond that the caller journals its write (one insert
 *   into the primary) instead of waiting for the shadow.
 * - Isolation: lanes are fibers of their own, forked into the layer's scope when the layer is built (`forkShadow`,
 *   which also drops any open transaction from their context), so a shadow write never runs in a caller's fiber
 *   and never inside the primary's transaction (see ShadowIsolation and STYLE.md, "A trap in @effect/sql v3").
 *   Journal inserts likewise run after the shadow batch's transaction has ended. Lanes run on the
 *   BackgroundScheduler, so their work never lands inside a caller's write.
 */
import { Cause, Chunk, Deferred, Duration, Effect, Fiber, FiberId, Metric, Queue, Schedule, type Scope } from "effect"
import type { ShadowOptions } from "../config/ShadowOptions.js"
import type { Backend, StoreError } from "../domain/Errors.js"
import { aggregateKey, type WriteOp } from "../domain/WriteOp.js"
import type { Store } from "../store/Store.js"
import type { InsertMany } from "./BatchInserts.js"
import { makeCircuitBreaker } from "./CircuitBreaker.js"
import { type Decided, type Item, makeShadowBatch, type ToJournal } from "./ShadowBatch.js"
import { healthLine, type ShadowHealthShape, type ShadowHealthSnapshot } from "./ShadowHealth.js"
import type { ReplayResult, ShadowJournalShape } from "./ShadowJournal.js"
import { forkShadow, isolated } from "./ShadowIsolation.js"
import * as M from "./ShadowMetrics.js"
import { makeWatermark } from "./Watermark.js"

interface Lane {
  readonly index: number
  readonly queue: Queue.Queue<Item>
  /** The batch being applied; still unresolved, so shutdown journals it if the lane is interrupted. */
  inFlight: ReadonlyArray<Item>
}

export interface ShadowWriterDeps {
  readonly primary: Backend
  /** The shadow database's store. */
  readonly shadow: Store
  /** Runs an effect in one transaction of the shadow database. */
  readonly inShadowTransaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | StoreError, R>
  /** Multi-row upserts of message and query inserts into the shadow; without it each is applied on its own. */
  readonly insertMany?: InsertMany
  /** The journal in the primary database. */
  readonly journal: ShadowJournalShape
  readonly options: ShadowOptions
}

export interface ShadowWriter extends ShadowHealthShape {
  readonly target: Backend
  /** Hands a committed write to the shadow. Never fails; waits only when it must journal (queue full). */
  readonly submit: (op: WriteOp) => Effect.Effect<void>
  /** Waits until every write submitted before the call is resolved; false after `timeout`. */
  readonly awaitSubmitted: (timeout: Duration.Duration) => Effect.Effect<boolean>
  /** The shadow holds every write resolved so far: nothing journaled or lost, circuit closed. */
  readonly inSync: () => boolean
  /** Writes waiting in memory. */
  readonly queueDepth: () => number
  /** Counts a read served by the shadow or, because it was behind or failed, by the primary. */
  readonly countRead: (servedBy: "shadow" | "primary") => void
}

/** FNV-1a: a stable, cheap spread of aggregate keys over lanes. */
const laneOf = (key: string, lanes: number) => {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0) % lanes
}

/**
 * Writes that are the only write their aggregate ever gets (messages and queries are never changed after they
 * are saved): nothing can follow them out of order, so journaling one holds nothing back. This keeps the held
 * set to documents and profiles, however many messages an outage journals.
 */
const singleWriteOperations: ReadonlyArray<WriteOp["_tag"]> = ["InsertMessage", "InsertQuery"]
const holdsBack = (op: WriteOp) => !singleWriteOperations.includes(op._tag)

export const make = (deps: ShadowWriterDeps): Effect.Effect<ShadowWriter, StoreError, Scope.Scope> =>
  Effect.gen(function* () {
    const { journal, options, primary, shadow } = deps
    const target = shadow.backend
    const clock = yield* Effect.clock
    const scope = yield* Effect.scope
    const watermark = makeWatermark(options.lanes)

    // ---- state (plain mutable: fibers interleave only between effects, never inside these updates) ---------
    const lanes: ReadonlyArray<Lane> = yield* Effect.forEach(Array.from({ length: options.lanes }), (_, index) =>
      Effect.map(Queue.unbounded<Item>(), (queue): Lane => ({ index, queue, inFlight: [] }))
    )
    let depth = 0
    /** Writes in memory per aggregate. */
    const pendingByKey = new Map<string, number>()
    /** Aggregates with a journaled write: their later writes are journaled too, until a replay clears them. */
    let held = new Set<string>(yield* journal.aggregateKeys(target, { except: singleWriteOperations }))
    /**
     * Aggregates that overflowed to the journal while an earlier write of theirs was still in memory: replay
     * must wait until that earlier write is resolved (applied or journaled), or it could apply them out of order.
     */
    const overflowedWhilePending = new Set<string>()
    let journalInserts = 0
    let journalGeneration = 0
    let journalSize = yield* journal.size(target)
    let closing = false
    let lastMicros = 0
    const counts = {
      submitted: 0,
      attempted: 0,
      succeeded: 0,
      failed: 0,
      journaled: 0,
      retries: 0,
      overflowed: 0,
      unjournaled: 0,
      readsFromShadow: 0,
      readsFromPrimary: 0
    }

    const attemptedMetric = M.withBackend(M.shadowAttempted, target)
    const succeededMetric = M.withBackend(M.shadowSucceeded, target)
    const failedMetric = M.withBackend(M.shadowFailed, target)
    const journaledMetric = M.withBackend(M.shadowJournaled, target)
    const retriesMetric = M.withBackend(M.shadowRetries, target)
    const lostMetric = M.withBackend(M.shadowJournalLost, target)
    const depthMetric = M.withBackend(M.shadowQueueDepth, target)
    const journalSizeMetric = M.withBackend(M.shadowJournalSize, target)
    const failureRateMetric = M.withBackend(M.shadowFailureRate, target)
    const failureRate = () => {
      const resolved = counts.succeeded + counts.journaled
      return resolved === 0 ? 0 : counts.journaled / resolved
    }

    /** Issue time in epoch microseconds, strictly increasing: the journal's replay order. */
    const issueMicros = () => {
      const now = Number(clock.unsafeCurrentTimeNanos() / 1000n)
      lastMicros = now > lastMicros ? now : lastMicros + 1
      return lastMicros
    }

    const circuit = makeCircuitBreaker(clock, options.circuitCooldown, target)

    // ---- journal ----------------------------------------------------------------------------------------------

    const journalAll = (groups: ReadonlyArray<ToJournal>): Effect.Effect<void> =>
      Effect.suspend(() => {
        const records = groups.flatMap((g) =>
          g.items.map((item) => ({
            target,
            op: item.op,
            error: g.error,
            attempts: g.attempts,
            issuedAtMicros: item.issuedAtMicros
          }))
        )
        if (records.length === 0) return Effect.void
        // Held before the insert, so no later write of these aggregates goes live while it runs.
        for (const g of groups) for (const item of g.items) if (holdsBack(item.op)) held.add(item.key)
        journalGeneration++
        journalInserts++
        const n = records.length
        return journal.record(records).pipe(
          Effect.retry({ schedule: Schedule.exponential("50 millis"), times: 3 }),
          Effect.matchCauseEffect({
            onSuccess: () => {
              counts.journaled += n
              journalSize += n
              return Effect.zipRight(Metric.incrementBy(journaledMetric, n), Metric.set(journalSizeMetric, journalSize))
            },
            onFailure: (cause) => {
              counts.unjournaled += n
              return Effect.zipRight(
                Metric.incrementBy(lostMetric, n),
                Effect.logError("shadow writes could be neither applied nor journaled; run verify/repair").pipe(
                  Effect.annotateLogs({
                    target,
                    writes: n,
                    aggregates: [...new Set(records.map((r) => aggregateKey(r.op)))].slice(0, 20).join(", "),
                    reason: groups[0]?.error ?? ""
                  }),
                  Effect.annotateLogs("cause", Cause.pretty(cause))
                )
              )
            }
          }),
          Effect.ensuring(Effect.sync(() => void journalInserts--)),
          Effect.uninterruptible
        )
      })

    /** Replaces the held set with the journal's aggregates, unless a journal insert ran meanwhile (next time). */
    const refreshHeld = Effect.suspend(() => {
      if (journalInserts > 0) return Effect.void
      const generation = journalGeneration
      return Effect.zip(journal.aggregateKeys(target, { except: singleWriteOperations }), journal.size(target)).pipe(
        Effect.tap(([keys, size]) =>
          Effect.suspend(() => {
            if (generation !== journalGeneration || journalInserts > 0) return Effect.void
            held = new Set(keys)
            journalSize = size
            return Metric.set(journalSizeMetric, size)
          })
        ),
        Effect.asVoid
      )
    })

    // ---- submit -----------------------------------------------------------------------------------------------

    const submit = (op: WriteOp): Effect.Effect<void> =>
      Effect.suspend(() => {
        counts.submitted++
        const item: Item = { op, key: aggregateKey(op), issuedAtMicros: issueMicros() }
        if (closing) {
          watermark.issueResolved()
          return journalAll([
            { items: [item], error: "submitted while the shadow writer was shutting down", attempts: 0 }
          ])
        }
        if (depth >= options.queueCapacity) {
          counts.overflowed++
          if ((pendingByKey.get(item.key) ?? 0) > 0) overflowedWhilePending.add(item.key)
          watermark.issueResolved()
          return journalAll([
            { items: [item], error: `shadow queue full (${options.queueCapacity} writes waiting)`, attempts: 0 }
          ])
        }
        const lane = lanes[laneOf(item.key, options.lanes)]!
        watermark.issue(lane.index)
        depth++
        pendingByKey.set(item.key, (pendingByKey.get(item.key) ?? 0) + 1)
        lane.queue.unsafeOffer(item)
        return Metric.set(depthMetric, depth)
      })

    // ---- lanes ------------------------------------------------------------------------------------------------

    const applyBatch = makeShadowBatch({
      shadow,
      ...(deps.insertMany === undefined ? {} : { insertMany: deps.insertMany }),
      inShadowTransaction: deps.inShadowTransaction,
      circuit,
      options,
      isHeld: (key) => held.has(key),
      onRetry: Effect.suspend(() => {
        counts.retries++
        return Metric.increment(retriesMetric)
      }),
      onAttempt: (n) =>
        Effect.suspend(() => {
          counts.attempted += n
          return Metric.incrementBy(attemptedMetric, n)
        }),
      latency: M.shadowLatency(target)
    })

    /** Books the outcome of a batch and releases its writes from memory. Runs uninterruptibly. */
    const settle = (lane: Lane, items: ReadonlyArray<Item>, outcome: Decided) =>
      Effect.gen(function* () {
        // Groups may be journaled in any order: replay follows each write's issue time.
        const journaled = outcome.journal.filter((g) => g.items.length > 0)
        const tried = journaled.reduce((n, g) => n + (g.attempts > 0 ? g.items.length : 0), 0)
        counts.succeeded += outcome.applied.length
        counts.failed += tried
        if (outcome.applied.length > 0) yield* Metric.incrementBy(succeededMetric, outcome.applied.length)
        if (tried > 0) yield* Metric.incrementBy(failedMetric, tried)
        yield* journalAll(journaled)
        release(lane, items)
        yield* Metric.set(depthMetric, depth)
        yield* Metric.set(failureRateMetric, failureRate())
      })

    const release = (lane: Lane, items: ReadonlyArray<Item>) => {
      lane.inFlight = []
      depth -= items.length
      for (const item of items) {
        const n = (pendingByKey.get(item.key) ?? 1) - 1
        if (n > 0) pendingByKey.set(item.key, n)
        else {
          pendingByKey.delete(item.key)
          overflowedWhilePending.delete(item.key)
        }
      }
      watermark.resolve(lane.index, items.length)
    }

    const lingerMillis = Duration.toMillis(options.batchLinger)
    /**
     * Completed (and replaced) when someone waits for the shadow: a read that wants its own write, a flush, the
     * shutdown drain. Lingering lanes then apply at once instead of finishing their linger.
     */
    let stopLinger = yield* Deferred.make<void>()
    const hurry = Effect.suspend(() => {
      const current = stopLinger
      stopLinger = Deferred.unsafeMake<void>(FiberId.none)
      return Deferred.succeed(current, undefined)
    })
    const awaitResolved = (timeout: Duration.Duration) =>
      Effect.suspend(() => {
        const seq = watermark.issued()
        return watermark.current() >= seq
          ? Effect.succeed(true)
          : Effect.zipRight(hurry, watermark.awaitSeq(seq, timeout))
      })

    /**
     * Up to `batchSize` writes, waiting `batchLinger` for more when the first take comes up short. Runs
     * uninterruptibly but for the waits (`restore`), so that taken writes are always recorded in `inFlight`.
     */
    const takeBatch = (
      lane: Lane,
      restore: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
    ): Effect.Effect<ReadonlyArray<Item>> =>
      Effect.flatMap(restore(Queue.takeBetween(lane.queue, 1, options.batchSize)), (chunk) => {
        const first = Chunk.toReadonlyArray(chunk)
        lane.inFlight = first
        if (lingerMillis <= 0 || first.length >= options.batchSize) return Effect.succeed(first)
        return restore(Effect.raceFirst(Effect.sleep(options.batchLinger), Deferred.await(stopLinger))).pipe(
          Effect.zipRight(Queue.takeUpTo(lane.queue, options.batchSize - first.length)),
          Effect.map((more) => {
            lane.inFlight = [...first, ...Chunk.toReadonlyArray(more)]
            return lane.inFlight
          })
        )
      })

    const runLane = (lane: Lane) =>
      Effect.forever(
        // Only the wait and the shadow apply are interruptible: a batch taken from the queue is always either
        // settled or left in `inFlight` for the shutdown to journal.
        Effect.uninterruptibleMask((restore) =>
          Effect.flatMap(takeBatch(lane, restore), (items) => {
            // A lane must outlive anything a batch throws: a dead lane would strand its writes in memory.
            const decided = restore(applyBatch(items)).pipe(
              Effect.catchAllDefect((defect) =>
                Effect.succeed<Decided>({
                  applied: [],
                  journal: [{ items, error: `unexpected shadow failure: ${String(defect)}`, attempts: 1 }]
                })
              )
            )
            return Effect.flatMap(decided, (outcome) => settle(lane, items, outcome))
          })
        )
      )

    const laneFibers = yield* Effect.forEach(lanes, (lane) => forkShadow(runLane(lane), scope))

    // ---- health -----------------------------------------------------------------------------------------------

    const inSync = () => journalSize === 0 && counts.unjournaled === 0 && !circuit.isOpen()

    const current = (): ShadowHealthSnapshot => {
      return {
        enabled: true,
        primary,
        target,
        ...counts,
        queueDepth: depth,
        queueCapacity: options.queueCapacity,
        journalSize,
        failureRate: failureRate(),
        circuitOpen: circuit.isOpen(),
        heldAggregates: held.size,
        inSync: inSync()
      }
    }

    const snapshot = Effect.zipRight(refreshHeld, Effect.sync(current))

    const replayLock = yield* Effect.makeSemaphore(1)
    // `replay` may be called from inside a caller's transaction: its applies to the shadow are isolated, its journal
    // reads and deletes stay with the primary.
    const replayTarget: Store = { ...shadow, apply: (op, applyOptions) => isolated(shadow.apply(op, applyOptions)) }
    const replay: Effect.Effect<ReplayResult, StoreError> = replayLock.withPermits(1)(
      journal
        .replay(replayTarget, { hold: (key) => overflowedWhilePending.has(key) })
        .pipe(Effect.zipLeft(refreshHeld), Effect.withLogSpan("shadow replay"))
    )

    if (Duration.toMillis(options.healthInterval) > 0) {
      let previous = current()
      const tick = Effect.gen(function* () {
        const now = yield* snapshot
        if (options.autoReplay && now.journalSize > 0 && !now.circuitOpen && depth < options.queueCapacity / 2) {
          yield* Effect.ignoreLogged(replay)
        }
        const line = healthLine(previous, now, options.healthInterval)
        previous = now
        const log =
          line.failurePercent > 1 || line.circuitOpen || line.unjournaled > 0 ? Effect.logWarning : Effect.logInfo
        yield* log("shadow health").pipe(Effect.annotateLogs(line))
      })
      yield* forkShadow(
        Effect.sleep(options.healthInterval).pipe(
          Effect.zipRight(
            tick.pipe(Effect.catchAllCause((cause) => Effect.logWarning("shadow health check failed", cause)))
          ),
          Effect.forever
        ),
        scope
      )
    }

    // ---- shutdown ---------------------------------------------------------------------------------------------

    // Added after the lanes were forked, so it runs before the scope interrupts them.
    yield* Effect.addFinalizer(() =>
      Effect.gen(function* () {
        closing = true
        const pending = depth
        const drained = yield* awaitResolved(options.drainTimeout)
        yield* Fiber.interruptAll(laneFibers)
        const left: Array<Item> = []
        for (const lane of lanes) {
          const laneLeft = [...lane.inFlight, ...Chunk.toReadonlyArray(yield* Queue.takeAll(lane.queue))]
          release(lane, laneLeft)
          left.push(...laneLeft)
        }
        left.sort((a, b) => a.issuedAtMicros - b.issuedAtMicros)
        yield* journalAll([
          {
            items: left,
            error: `still pending when the ${Duration.format(options.drainTimeout)} shutdown drain ended`,
            attempts: 0
          }
        ])
        yield* Effect.logInfo("shadow writer stopped").pipe(
          Effect.annotateLogs({ target, pendingAtShutdown: pending, drained, journaledAtShutdown: left.length })
        )
      })
    )

    return {
      target,
      submit,
      awaitSubmitted: awaitResolved,
      inSync,
      queueDepth: () => depth,
      countRead: (servedBy) => {
        if (servedBy === "shadow") counts.readsFromShadow++
        else counts.readsFromPrimary++
      },
      snapshot,
      flush: (timeout) => awaitResolved(Duration.decode(timeout)),
      replay
    } satisfies ShadowWriter
  })
