/**
 * Decides the fate of one lane batch: each write is applied to the shadow, or goes to the journal with a reason.
 *
 * - The batch runs in one shadow transaction; message and query inserts as one multi-row statement.
 * - A write that finds no row to change is journaled, and so is every later write of its aggregate.
 * - A transient error is retried (capped exponential backoff); when retries run out the circuit opens and the
 *   whole batch is journaled. A permanent error re-runs the batch write by write, to journal only the culprits.
 * - Writes of held aggregates (an earlier write is in the journal) are journaled without trying.
 */
import { Duration, Effect, Metric, Schedule } from "effect"
import type { ShadowOptions } from "../config/ShadowOptions.js"
import { type Backend, StoreError } from "../domain/Errors.js"
import type { WriteOp } from "../domain/WriteOp.js"
import type { Store } from "../store/Store.js"
import { type BatchInsertOp, type InsertMany, isBatchInsert } from "./BatchInserts.js"
import type { CircuitBreaker } from "./CircuitBreaker.js"
import { isTransient } from "./TransientError.js"

/** A committed write on its way to the shadow. */
export interface Item {
  readonly op: WriteOp
  readonly key: string
  /** Issue time in epoch microseconds: the journal's replay order. */
  readonly issuedAtMicros: number
}

/** Writes to journal with one reason. */
export interface ToJournal {
  readonly items: ReadonlyArray<Item>
  readonly error: string
  /** Apply attempts made (0: never tried). */
  readonly attempts: number
}

export interface Decided {
  readonly applied: ReadonlyArray<Item>
  readonly journal: ReadonlyArray<ToJournal>
}

export const heldMessage = "an earlier write to this aggregate is in the journal: replay it first to keep the order"

export interface ShadowBatchDeps {
  readonly shadow: Store
  readonly insertMany?: InsertMany
  readonly inShadowTransaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | StoreError, R>
  readonly circuit: CircuitBreaker
  readonly options: Pick<ShadowOptions, "retryAttempts" | "retryBaseDelay" | "retryMaxDelay">
  /** Whether an aggregate has a write in the journal. */
  readonly isHeld: (key: string) => boolean
  /** Called for each repeated attempt. */
  readonly onRetry: Effect.Effect<void>
  /** Called with the number of writes about to be tried. */
  readonly onAttempt: (writes: number) => Effect.Effect<void>
  readonly latency: Metric.Metric.Histogram<number>
}

/** Maps whatever a shadow attempt threw (a SqlError, a defect) into the StoreError the retry policy classifies. */
export const shadowError = (backend: Backend) => (cause: unknown) =>
  cause instanceof StoreError
    ? cause
    : new StoreError({
        backend,
        operation: "shadow batch",
        message: `${backend} shadow batch failed: ${cause instanceof Error ? cause.message : String(cause)}`,
        cause
      })

export const makeShadowBatch = (deps: ShadowBatchDeps): ((items: ReadonlyArray<Item>) => Effect.Effect<Decided>) => {
  const { circuit, options, shadow } = deps
  const target = shadow.backend

  const retrySchedule = Schedule.exponential(options.retryBaseDelay, 2).pipe(
    Schedule.jittered,
    Schedule.union(Schedule.spaced(options.retryMaxDelay)),
    Schedule.intersect(Schedule.recurs(options.retryAttempts - 1))
  )

  /**
   * Retries transient errors. @effect/sql turns a failed COMMIT or ROLLBACK (a connection killed mid-transaction)
   * into a defect: here it is a failed attempt like any other.
   */
  const withRetries = <A>(effect: Effect.Effect<A, StoreError>) => {
    let tries = 0
    const attempt = Effect.catchAllDefect(effect, (defect) => Effect.fail(shadowError(target)(defect)))
    return Effect.suspend(() => (tries++ > 0 ? Effect.zipRight(deps.onRetry, attempt) : attempt)).pipe(
      Effect.retry({ schedule: retrySchedule, while: isTransient })
    )
  }

  /** Applies writes in order; any error aborts the whole attempt (the transaction, when there is one). */
  const applyInOrder = (items: ReadonlyArray<Item>): Effect.Effect<Decided, StoreError> =>
    Effect.gen(function* () {
      const missing = new Set<string>()
      const applied: Array<Item> = []
      const noRow: Array<Item> = []
      const after: Array<Item> = []
      let rest = items
      if (deps.insertMany !== undefined && items.length > 1) {
        // A message or query insert is the only write of its aggregate, so these may go first, together.
        for (const tag of ["InsertMessage", "InsertQuery"] as const) {
          const group = items.filter((i) => i.op._tag === tag)
          if (group.length === 0) continue
          const written = yield* deps.insertMany(group.map((i) => i.op as BatchInsertOp))
          for (const item of group) (written.has((item.op as BatchInsertOp).row.id) ? applied : noRow).push(item)
        }
        rest = items.filter((i) => !isBatchInsert(i.op))
      }
      for (const item of rest) {
        if (missing.has(item.key)) {
          after.push(item)
          continue
        }
        const result = yield* shadow.apply(item.op, { asReplica: true })
        if (result.rowsAffected > 0) applied.push(item)
        else {
          noRow.push(item)
          missing.add(item.key)
        }
      }
      return {
        applied,
        journal: [
          { items: noRow, error: `no row to change on ${target}`, attempts: 1 },
          { items: after, error: heldMessage, attempts: 0 }
        ]
      }
    })

  const unavailable = (items: ReadonlyArray<Item>): ToJournal => ({
    items,
    error: `shadow unavailable: ${circuit.lastError()}`,
    attempts: 0
  })

  /** Write by write, to journal only the writes that fail (after a permanent error failed a whole batch). */
  const applyOneByOne = (items: ReadonlyArray<Item>): Effect.Effect<Decided> =>
    Effect.gen(function* () {
      const failed = new Set<string>()
      const applied: Array<Item> = []
      const journal: Array<ToJournal> = []
      for (const [i, item] of items.entries()) {
        if (failed.has(item.key)) {
          journal.push({ items: [item], error: heldMessage, attempts: 0 })
          continue
        }
        if (circuit.isOpen()) {
          journal.push(unavailable(items.slice(i)))
          break
        }
        const outcome = yield* Effect.either(withRetries(applyInOrder([item])))
        if (outcome._tag === "Right") {
          applied.push(...outcome.right.applied)
          journal.push(...outcome.right.journal)
          for (const g of outcome.right.journal) for (const it of g.items) failed.add(it.key)
          continue
        }
        failed.add(item.key)
        journal.push({ items: [item], error: outcome.left.message, attempts: options.retryAttempts })
        if (isTransient(outcome.left)) yield* circuit.trip(outcome.left)
      }
      return { applied, journal }
    })

  const timed = <A, E>(effect: Effect.Effect<A, E>) =>
    Effect.timed(effect).pipe(
      Effect.flatMap(([duration, a]) => Effect.as(Metric.update(deps.latency, Duration.toMillis(duration)), a))
    )

  return (items) =>
    Effect.gen(function* () {
      if (circuit.isOpen()) return { applied: [], journal: [unavailable(items)] }
      const live = items.filter((i) => !deps.isHeld(i.key))
      const held: ToJournal = { items: items.filter((i) => deps.isHeld(i.key)), error: heldMessage, attempts: 0 }
      if (live.length === 0) return { applied: [], journal: [held] }
      yield* deps.onAttempt(live.length)
      const attempt = live.length === 1 ? applyInOrder(live) : deps.inShadowTransaction(applyInOrder(live))
      const outcome = yield* Effect.either(timed(withRetries(attempt)))
      if (outcome._tag === "Right") return { ...outcome.right, journal: [held, ...outcome.right.journal] }
      const error = outcome.left
      if (isTransient(error)) {
        yield* circuit.trip(error)
        return { applied: [], journal: [held, { items: live, error: error.message, attempts: options.retryAttempts }] }
      }
      if (live.length === 1) return { applied: [], journal: [held, { items: live, error: error.message, attempts: 1 }] }
      const one = yield* applyOneByOne(live)
      return { ...one, journal: [held, ...one.journal] }
    })
}
