/**
 * Applies a run of outbox entries to the shadow, exactly once. One shadow transaction first moves the shadow's
 * applied position from `from` to the last entry (compare-and-set: it fails if any other applier moved it), then
 * applies the entries and records the dead letters: the entries and the position commit together or not at all,
 * so a replay after any interruption (a killed connection, a killed process, a COMMIT whose outcome was lost)
 * starts exactly after what the shadow holds.
 *
 * - Message and query inserts, the only write of their aggregate, go first as multi-row upserts.
 * - Every other entry is applied in order, as a replica. One that finds no row to change (its row is missing on
 *   the shadow) becomes a dead letter, and so does every later entry of its aggregate ("held"), so that an
 *   aggregate's writes never reach the shadow out of order; other aggregates go on.
 * - A transient error (lost connection, busy SQLite file) fails the run: the applier retries it after a backoff.
 * - Any other error rolls the run back and re-applies it entry by entry; an entry that still fails after
 *   `retryAttempts` becomes a dead letter with the error as its reason, and the run goes on past it.
 */
import { type Clock, Duration, Effect, Either, Schema } from "effect"
import type { ShadowOptions } from "../config/ShadowOptions.js"
import type { StoreError } from "../domain/Errors.js"
import { WriteOp } from "../domain/WriteOp.js"
import { type DeadLetter, type OutboxEntry, positionMoved } from "../store/ReplicationLog.js"
import type { DatabaseStore } from "../store/Store.js"
import { isTransient } from "./TransientError.js"

/** Writes that are the only write of their aggregate: a dead one holds nothing back. */
export const singleWriteOperations: ReadonlyArray<string> = ["InsertMessage", "InsertQuery"]
const holdsBack = (operation: string) => !singleWriteOperations.includes(operation)

/** Deletes that find nothing already hold on the shadow: the row they remove is absent. */
const isDelete = (op: WriteOp) => op._tag === "DeleteDocument" || op._tag === "RemoveCollaborator"

export const heldReason =
  "held: an earlier write of this aggregate is a dead letter; it waits so that the aggregate's writes stay in order"

export const isPositionMoved = (error: StoreError) => error.operation === positionMoved

export interface BatchDeps {
  readonly shadow: DatabaseStore
  /** The primary's outbox origin: the shadow's position and dead letters are kept per origin. */
  readonly origin: string
  readonly options: Pick<ShadowOptions, "retryAttempts" | "retryBaseDelay" | "retryMaxDelay">
  readonly clock: Clock.Clock
  /** The op of an entry this process appended itself, when it still has it (saves decoding the payload). */
  readonly known: (entry: OutboxEntry) => WriteOp | undefined
  /** Called before an attempt is repeated. */
  readonly onRetry: Effect.Effect<void>
  /** Run beside the batch's inserts while the shadow works on them (the applier reads its next page). */
  readonly alongside?: Effect.Effect<void> | undefined
}

export interface BatchOutcome {
  /** The shadow's position afterwards: the last entry of the run. */
  readonly to: number
  readonly applied: number
  readonly deadLettered: ReadonlyArray<DeadLetter>
  /** Aggregates whose writes wait behind a dead letter, after the run. */
  readonly held: ReadonlySet<string>
}

const decodePayload = Schema.decodeUnknownEither(Schema.parseJson(WriteOp))

/** The op an entry's payload holds, or why it holds none. */
export const decodeEntry = (entry: OutboxEntry): Either.Either<WriteOp, string> =>
  Either.mapLeft(decodePayload(entry.payload), (e) => `undecodable payload: ${e.message}`)

export const makeApplyBatch = (deps: BatchDeps) => {
  const { clock, origin, shadow } = deps

  const opOf = (entry: OutboxEntry): Either.Either<WriteOp, string> => {
    const known = deps.known(entry)
    if (known !== undefined) return Either.right(known)
    return decodeEntry(entry)
  }

  const letter = (entry: OutboxEntry, error: string): DeadLetter => ({
    origin,
    seq: entry.seq,
    aggregateKey: entry.aggregateKey,
    operation: entry.operation,
    payload: entry.payload,
    error,
    recordedAt: entry.recordedAt,
    deadAt: clock.unsafeCurrentTimeMillis()
  })

  /**
   * better-sqlite3 runs each statement to its end on the event loop, so a SQLite shadow's batch is applied in
   * short steps with a yield between them (the applier runs on the BackgroundScheduler: pending I/O, a PostgreSQL
   * primary's answers to callers included, goes first). Measured with a PostgreSQL primary and writes back to back:
   * the shadow added 50% to their p99 in one step per batch, 22-33% in steps. PostgreSQL is not waited for
   * synchronously: one step.
   */
  const stepRows = shadow.backend === "sqlite" ? 32 : Number.MAX_SAFE_INTEGER
  const betweenSteps = shadow.backend === "sqlite" ? Effect.yieldNow() : Effect.void

  /** One shadow transaction over the whole run; fails as a whole. */
  const attempt = (from: number, entries: ReadonlyArray<OutboxEntry>, held: ReadonlySet<string>) =>
    shadow.transaction(
      Effect.gen(function* () {
        const to = entries[entries.length - 1]!.seq
        yield* shadow.replica.advance(origin, from, to, clock.unsafeCurrentTimeMillis())
        const nextHeld = new Set(held)
        const dead: Array<DeadLetter> = []
        const decoded = entries.map((entry) => [entry, opOf(entry)] as const)
        const inserts = decoded.flatMap(([, op]) =>
          Either.isRight(op) && singleWriteOperations.includes(op.right._tag) ? [op.right] : []
        )
        if (deps.alongside !== undefined) yield* deps.alongside
        for (let i = 0; i < inserts.length; i += stepRows) {
          yield* betweenSteps
          yield* shadow.applyMany(inserts.slice(i, i + stepRows))
        }
        let applied = inserts.length
        for (const [entry, op] of decoded) {
          if (Either.isRight(op) && singleWriteOperations.includes(op.right._tag)) continue
          if (Either.isLeft(op)) {
            dead.push(letter(entry, op.left))
            if (holdsBack(entry.operation)) nextHeld.add(entry.aggregateKey)
            continue
          }
          if (nextHeld.has(entry.aggregateKey)) {
            dead.push(letter(entry, heldReason))
            continue
          }
          yield* betweenSteps
          const result = yield* shadow.apply(op.right, { asReplica: true })
          if (result.rowsAffected > 0 || isDelete(op.right)) {
            applied++
            continue
          }
          dead.push(letter(entry, `no row to change on ${shadow.backend}: the row this write changes is missing there`))
          if (holdsBack(entry.operation)) nextHeld.add(entry.aggregateKey)
        }
        if (dead.length > 0) yield* shadow.replica.recordDeadLetters(dead)
        yield* betweenSteps
        return { to, applied, deadLettered: dead, held: nextHeld } satisfies BatchOutcome
      })
    )

  const passOn = (error: StoreError) => isPositionMoved(error) || isTransient(error)

  /** The one entry the shadow keeps refusing: tried again, then recorded as dead and passed. */
  const single = (
    from: number,
    entry: OutboxEntry,
    held: ReadonlySet<string>,
    error: StoreError,
    tries: number
  ): Effect.Effect<BatchOutcome, StoreError> => {
    if (tries < deps.options.retryAttempts) {
      const delay = Duration.min(
        Duration.times(deps.options.retryBaseDelay, 2 ** (tries - 1)),
        deps.options.retryMaxDelay
      )
      return deps.onRetry.pipe(
        Effect.zipRight(Effect.sleep(delay)),
        Effect.zipRight(attempt(from, [entry], held)),
        Effect.catchAll((again) => (passOn(again) ? Effect.fail(again) : single(from, entry, held, again, tries + 1)))
      )
    }
    const dead = letter(entry, error.message)
    const nextHeld = new Set(held)
    if (holdsBack(entry.operation)) nextHeld.add(entry.aggregateKey)
    return shadow
      .transaction(
        Effect.zipRight(
          shadow.replica.advance(origin, from, entry.seq, clock.unsafeCurrentTimeMillis()),
          shadow.replica.recordDeadLetters([dead])
        )
      )
      .pipe(Effect.as({ to: entry.seq, applied: 0, deadLettered: [dead], held: nextHeld }))
  }

  const oneByOne = (from: number, entries: ReadonlyArray<OutboxEntry>, held: ReadonlySet<string>) =>
    Effect.gen(function* () {
      let position = from
      let currentHeld = held
      let applied = 0
      const deadLettered: Array<DeadLetter> = []
      for (const entry of entries) {
        const outcome = yield* run(position, [entry], currentHeld)
        position = outcome.to
        currentHeld = outcome.held
        applied += outcome.applied
        deadLettered.push(...outcome.deadLettered)
      }
      return { to: position, applied, deadLettered, held: currentHeld } satisfies BatchOutcome
    })

  const run = (
    from: number,
    entries: ReadonlyArray<OutboxEntry>,
    held: ReadonlySet<string>
  ): Effect.Effect<BatchOutcome, StoreError> =>
    attempt(from, entries, held).pipe(
      Effect.catchAll((error) =>
        passOn(error)
          ? Effect.fail(error)
          : entries.length > 1
            ? oneByOne(from, entries, held)
            : single(from, entries[0]!, held, error, 1)
      )
    )

  return run
}
