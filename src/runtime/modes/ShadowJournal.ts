/**
 * The shadow journal: shadow writes that did not reach the shadow database, kept durably in the PRIMARY database
 * (where the write itself succeeded) until they are replayed. Nothing the primary accepted is ever only in memory
 * once it has left the shadow writer's queue: it is either applied to the shadow or journaled here.
 *
 * API (all Effects fail only with `StoreError`):
 * - `record(entries)`   journal writes for a target (the shadow writer does this; repair tools rarely need to).
 * - `size(target?)`     how many entries wait, for one target or all.
 * - `list(options?)`    entries in replay order, payload decoded lazily with `decodePayload`.
 * - `aggregateKeys(t)`  the aggregates with entries waiting, optionally ignoring some operations (the writer
 *                       routes later writes of these aggregates here too).
 * - `replay(store)`     applies the entries for `store.backend`, in order, as a replica; deletes each once applied;
 *                       keeps an entry that still fails and every later entry of its aggregate; stops at a
 *                       transient error (the shadow is down again). Safe to repeat: replica applies converge.
 * - `remove(seqs)`      drops entries (for repair tools that restored the rows another way).
 *
 * Order: `recorded_at` holds the write's ISSUE time in epoch microseconds (strictly increasing within a process),
 * and replay orders by (recorded_at, seq). A write that overflowed the queue is journaled at once while an earlier
 * write to the same aggregate may still be in flight; ordering by issue time keeps the aggregate's history in
 * order no matter which of the two reached the journal first.
 *
 * Run one replay at a time per journal: two replays of the same entries may interleave their applies. Inside a
 * running bot prefer `ShadowHealth.replay`, which also holds back aggregates with writes still in memory.
 */
import type { SqlClient, SqlError } from "@effect/sql"
import { Context, Effect, Layer, Schedule, Schema } from "effect"
import type { ParseError } from "effect/ParseResult"
import { type Backend, StoreError } from "../domain/Errors.js"
import { aggregateKey, type AppliedWrite, WriteOp } from "../domain/WriteOp.js"
import { PostgresDatabase } from "../layers/PostgresDatabase.js"
import { SqliteDatabase } from "../layers/SqliteDatabase.js"
import type { Store } from "../store/Store.js"
import { isTransient } from "./TransientError.js"

/** A write to journal for `target`. */
export interface JournalRecord {
  readonly target: Backend
  readonly op: WriteOp
  /** Why it is journaled: the last error, "no row to change", "queue full", ... */
  readonly error: string
  /** Apply attempts made on the shadow before journaling (0 when it was never tried). */
  readonly attempts: number
  /** When the write was issued, epoch microseconds; replay follows this order. */
  readonly issuedAtMicros: number
}

export interface JournalEntry {
  readonly seq: number
  readonly target: Backend
  /** The WriteOp tag, e.g. "InsertMessage". */
  readonly operation: string
  readonly aggregateKey: string
  /** The WriteOp as JSON (Schema-encoded); `decodePayload` turns it back into a WriteOp. */
  readonly payload: string
  readonly error: string
  readonly attempts: number
  /** Issue time of the write, epoch microseconds. */
  readonly recordedAtMicros: number
}

export interface ReplayOptions {
  /** Entries read per page (default 500). */
  readonly pageSize?: number
  /** Entries of aggregates for which this holds are kept for a later replay (the live writer still has writes). */
  readonly hold?: (aggregateKey: string) => boolean
}

export interface ReplayFailure {
  readonly seq: number
  readonly aggregateKey: string
  readonly operation: string
  readonly error: string
}

export interface ReplayResult {
  readonly target: Backend
  /** Entries applied to the target and deleted from the journal. */
  readonly applied: number
  /** Entries that failed again, were held, or follow a failed entry of their aggregate: still journaled. */
  readonly kept: number
  /** Entries for the target still in the journal afterwards (kept ones plus any journaled meanwhile). */
  readonly remaining: number
  /** Set when a transient error stopped the replay early (the target is unavailable). */
  readonly stoppedBy?: string
  /** The first failures, for the operator. */
  readonly failures: ReadonlyArray<ReplayFailure>
}

export interface ShadowJournalShape {
  /** The database the journal lives in (the primary of the mode that wrote it). */
  readonly backend: Backend
  readonly record: (entries: ReadonlyArray<JournalRecord>) => Effect.Effect<void, StoreError>
  readonly size: (target?: Backend) => Effect.Effect<number, StoreError>
  readonly list: (options?: {
    readonly target?: Backend
    readonly limit?: number
  }) => Effect.Effect<ReadonlyArray<JournalEntry>, StoreError>
  readonly aggregateKeys: (
    target: Backend,
    options?: { readonly except?: ReadonlyArray<string> }
  ) => Effect.Effect<ReadonlySet<string>, StoreError>
  readonly replay: (target: Store, options?: ReplayOptions) => Effect.Effect<ReplayResult, StoreError>
  readonly remove: (seqs: ReadonlyArray<number>) => Effect.Effect<void, StoreError>
}

export class ShadowJournal extends Context.Tag("@repo/database/ShadowJournal")<ShadowJournal, ShadowJournalShape>() {}

const Payload = Schema.parseJson(WriteOp)
const encodePayload = Schema.encodeSync(Payload)

export const decodePayload = (payload: string): Effect.Effect<WriteOp, ParseError> =>
  Schema.decodeUnknown(Payload)(payload)

/** Deletes that find nothing already hold on the target: the row they remove is absent. */
const isDelete = (op: WriteOp) => op._tag === "DeleteDocument" || op._tag === "RemoveCollaborator"

/** Writes to journal rows are bounded so that a long SQLite parameter list never hits the variable limit. */
const insertChunk = 200
const maxErrorLength = 2000
const maxReportedFailures = 20

interface JournalRow {
  readonly seq: number | string
  readonly target: string
  readonly operation: string
  readonly aggregate_key: string
  readonly payload: string
  readonly error: string
  readonly attempts: number | string
  readonly recorded_at: number | string
}

const toEntry = (row: JournalRow): JournalEntry => ({
  seq: Number(row.seq),
  target: row.target === "postgres" ? "postgres" : "sqlite",
  operation: row.operation,
  aggregateKey: row.aggregate_key,
  payload: row.payload,
  error: row.error,
  attempts: Number(row.attempts),
  recordedAtMicros: Number(row.recorded_at)
})

type ApplyOutcome =
  { readonly _tag: "Applied" } | { readonly _tag: "Failed"; readonly error: string; readonly transient: boolean }

export const make = (sql: SqlClient.SqlClient, backend: Backend): ShadowJournalShape => {
  const fail =
    (operation: string) =>
    <A>(effect: Effect.Effect<A, SqlError.SqlError>): Effect.Effect<A, StoreError> =>
      Effect.mapError(
        effect,
        (cause) =>
          new StoreError({
            backend,
            operation: `shadow journal ${operation}`,
            message: `shadow journal ${operation} failed: ${cause.cause instanceof Error ? cause.cause.message : cause.message}`,
            cause
          })
      )

  const record = (entries: ReadonlyArray<JournalRecord>) =>
    Effect.forEach(
      chunks(entries, insertChunk),
      (chunk) =>
        sql`INSERT INTO shadow_journal ${sql.insert(
          chunk.map((e) => ({
            target: e.target,
            operation: e.op._tag,
            aggregate_key: aggregateKey(e.op),
            payload: encodePayload(e.op),
            error: e.error.length > maxErrorLength ? `${e.error.slice(0, maxErrorLength)}...` : e.error,
            attempts: e.attempts,
            recorded_at: e.issuedAtMicros
          }))
        )}`,
      { discard: true }
    ).pipe(fail("record"))

  const targetIs = (target?: Backend) => (target === undefined ? sql`1 = 1` : sql`target = ${target}`)

  const size = (target?: Backend) =>
    sql<{ count: number | string }>`SELECT COUNT(*) AS count FROM shadow_journal WHERE ${targetIs(target)}`.pipe(
      Effect.map((rows) => Number(rows[0]?.count ?? 0)),
      fail("size")
    )

  const list = (options: { readonly target?: Backend; readonly limit?: number } = {}) =>
    sql<JournalRow>`SELECT * FROM shadow_journal WHERE ${targetIs(options.target)}
      ORDER BY recorded_at, seq LIMIT ${options.limit ?? 100}`.pipe(
      Effect.map((rows) => rows.map(toEntry)),
      fail("list")
    )

  const aggregateKeys = (target: Backend, options: { readonly except?: ReadonlyArray<string> } = {}) =>
    sql<{ aggregate_key: string }>`SELECT DISTINCT aggregate_key FROM shadow_journal WHERE target = ${target} ${
      options.except === undefined || options.except.length === 0
        ? sql.literal("")
        : sql`AND NOT (${sql.in("operation", options.except)})`
    }`.pipe(
      Effect.map((rows): ReadonlySet<string> => new Set(rows.map((r) => r.aggregate_key))),
      fail("aggregateKeys")
    )

  const remove = (seqs: ReadonlyArray<number>) =>
    Effect.forEach(chunks(seqs, 500), (chunk) => sql`DELETE FROM shadow_journal WHERE ${sql.in("seq", chunk)}`, {
      discard: true
    }).pipe(fail("remove"))

  const page = (target: Backend, after: { readonly at: number; readonly seq: number } | undefined, limit: number) =>
    sql<JournalRow>`SELECT * FROM shadow_journal WHERE target = ${target} ${
      after === undefined
        ? sql.literal("")
        : // A row comparison, unlike the equivalent OR, starts a range scan of the replay index at the cursor.
          sql`AND (recorded_at, seq) > (${after.at}, ${after.seq})`
    } ORDER BY recorded_at, seq LIMIT ${limit}`.pipe(
      Effect.map((rows) => rows.map(toEntry)),
      fail("replay")
    )

  const noteFailure = (entry: JournalEntry, error: string) =>
    sql`UPDATE shadow_journal SET error = ${error.slice(0, maxErrorLength)}, attempts = attempts + 1
      WHERE seq = ${entry.seq}`.pipe(fail("replay"))

  const applyEntry = (target: Store, entry: JournalEntry): Effect.Effect<ApplyOutcome> =>
    decodePayload(entry.payload).pipe(
      Effect.mapError((e) => ({ error: `undecodable payload: ${e.message}`, transient: false })),
      Effect.flatMap((op) =>
        target.apply(op, { asReplica: true }).pipe(
          Effect.retry({
            schedule: Schedule.exponential("100 millis"),
            times: 2,
            while: isTransient
          }),
          Effect.mapError((e) => ({ error: e.message, transient: isTransient(e) })),
          Effect.flatMap((applied: AppliedWrite) =>
            applied.rowsAffected > 0 || isDelete(op)
              ? Effect.succeed<ApplyOutcome>({ _tag: "Applied" })
              : Effect.fail({
                  error: "no row to change on replay (its parent is missing on the target)",
                  transient: false
                })
          )
        )
      ),
      Effect.catchAll((f) => Effect.succeed<ApplyOutcome>({ _tag: "Failed", ...f }))
    )

  const replay = (target: Store, options: ReplayOptions = {}) =>
    Effect.gen(function* () {
      const pageSize = options.pageSize ?? 500
      const hold = options.hold ?? (() => false)
      // Once an entry of an aggregate stays, every later entry of it must stay too, or the aggregate's history
      // would reach the target out of order.
      const stuck = new Set<string>()
      const failures: Array<ReplayFailure> = []
      let applied = 0
      let kept = 0
      let stoppedBy: string | undefined
      let after: { at: number; seq: number } | undefined
      while (stoppedBy === undefined) {
        const entries = yield* page(target.backend, after, pageSize)
        if (entries.length === 0) break
        const done: Array<number> = []
        for (const entry of entries) {
          after = { at: entry.recordedAtMicros, seq: entry.seq }
          if (stuck.has(entry.aggregateKey) || hold(entry.aggregateKey)) {
            stuck.add(entry.aggregateKey)
            kept++
            continue
          }
          const outcome = yield* applyEntry(target, entry)
          if (outcome._tag === "Applied") {
            done.push(entry.seq)
            continue
          }
          if (outcome.transient) {
            stoppedBy = outcome.error
            break
          }
          stuck.add(entry.aggregateKey)
          kept++
          if (failures.length < maxReportedFailures) {
            failures.push({
              seq: entry.seq,
              aggregateKey: entry.aggregateKey,
              operation: entry.operation,
              error: outcome.error
            })
          }
          yield* noteFailure(entry, outcome.error)
        }
        // Deleted per page: a crash in between only means re-applying, which converges.
        yield* remove(done)
        applied += done.length
      }
      const remaining = yield* size(target.backend)
      const result: ReplayResult = {
        target: target.backend,
        applied,
        kept,
        remaining,
        failures,
        ...(stoppedBy === undefined ? {} : { stoppedBy })
      }
      yield* Effect.logInfo("shadow journal replayed").pipe(
        Effect.annotateLogs({ target: target.backend, applied, kept, remaining, stoppedBy: stoppedBy ?? "none" })
      )
      return result
    })

  return { backend, record, size, list, aggregateKeys, replay, remove }
}

const chunks = <A>(items: ReadonlyArray<A>, n: number): ReadonlyArray<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n))
  return out
}

/** The journal kept in the SQLite database (SQLite primary). */
export const inSqlite: Layer.Layer<ShadowJournal, never, SqliteDatabase> = Layer.effect(
  ShadowJournal,
  Effect.map(SqliteDatabase, (db) => make(db.sql, "sqlite"))
)

/** The journal kept in the PostgreSQL database (PostgreSQL primary). */
export const inPostgres: Layer.Layer<ShadowJournal, never, PostgresDatabase> = Layer.effect(
  ShadowJournal,
  Effect.map(PostgresDatabase, (db) => make(db.sql, "postgres"))
)

/** The journal of the database that is primary. */
export const layerFor = (primary: Backend): Layer.Layer<ShadowJournal, never, SqliteDatabase | PostgresDatabase> =>
  primary === "sqlite" ? inSqlite : inPostgres
