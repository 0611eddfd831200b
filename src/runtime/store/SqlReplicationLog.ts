/**
 * The replication tables over an @effect/sql client (SQLite migration 5, PostgreSQL migration 6): the outbox and
 * the applier lease of a primary, the applied positions and dead letters of a shadow.
 *
 * Commit order. On SQLite one writer at a time holds the database's write lock from its first write to its
 * commit, and AUTOINCREMENT numbers the entry under that lock. On PostgreSQL the entry's number is drawn from
 * `shadow_outbox_seq` only after taking a transaction-level advisory lock, which PostgreSQL releases after the
 * commit is visible: a transaction that draws a later number drew it after every earlier one committed (or rolled
 * back, leaving a gap that no entry will ever fill). Either way an applier that has read entry n has seen every
 * entry below n that will ever exist, so its position alone says what it has applied. The price on PostgreSQL:
 * writers queue on the lock from their outbox insert (the last statement) to their commit.
 */
import type { SqlClient, SqlError } from "@effect/sql"
import { Effect } from "effect"
import { type Backend, StoreError } from "../domain/Errors.js"
import { aggregateKey, type WriteOp } from "../domain/WriteOp.js"
import type { DeadLetter, OutboxEntry, OutboxLog, OutboxStats, ReplicaLog } from "./ReplicationLog.js"
import { positionMoved } from "./ReplicationLog.js"

/** The advisory lock key that orders outbox numbers (any constant no other code of the database uses). */
export const outboxLockKey = 7_160_422_431

/** Errors are long for a driver's taste; dead letters keep the gist. */
const maxErrorLength = 2000
/** Rows per multi-row statement, well under SQLite's parameter limit (8 columns x 200). */
const chunkSize = 200

interface OutboxRow {
  readonly seq: number | string
  readonly aggregate_key: string
  readonly operation: string
  readonly payload: string
  readonly recorded_at: number | string
}

interface DeadLetterRow extends OutboxRow {
  readonly origin: string
  readonly error: string
  readonly dead_at: number | string
}

const toEntry = (row: OutboxRow): OutboxEntry => ({
  seq: Number(row.seq),
  aggregateKey: row.aggregate_key,
  operation: row.operation,
  payload: row.payload,
  recordedAt: Number(row.recorded_at)
})

const toDeadLetter = (row: DeadLetterRow): DeadLetter => ({
  ...toEntry(row),
  origin: row.origin,
  error: row.error,
  deadAt: Number(row.dead_at)
})

/** PostgreSQL TEXT cannot hold U+0000; an error message quoting a value might. */
const storableText = (text: string) =>
  (text.length > maxErrorLength ? `${text.slice(0, maxErrorLength)}...` : text).replaceAll("\u0000", "")

const chunks = <A>(items: ReadonlyArray<A>): ReadonlyArray<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += chunkSize) out.push(items.slice(i, i + chunkSize))
  return out
}

/** The payload of an outbox entry: the op as JSON (its Schema encoding is the identity: plain JSON data). */
export const encodeOp = (op: WriteOp): string => JSON.stringify(op)

export const makeSqlReplicationLog = (
  sql: SqlClient.SqlClient,
  backend: Backend
): { readonly outbox: OutboxLog; readonly replica: ReplicaLog } => {
  const isPg = backend === "postgres"
  const fail =
    (operation: string) =>
    <A>(effect: Effect.Effect<A, SqlError.SqlError>): Effect.Effect<A, StoreError> =>
      Effect.mapError(
        effect,
        (cause) =>
          new StoreError({
            backend,
            operation,
            message: `${backend} ${operation} failed: ${cause.cause instanceof Error ? cause.cause.message : cause.message}`,
            cause
          })
      )

  // ---- outbox (this database as the primary) -------------------------------------------------------------------

  let cachedOrigin: string | undefined
  const origin = Effect.suspend(() =>
    cachedOrigin !== undefined
      ? Effect.succeed(cachedOrigin)
      : sql<{ origin: string }>`SELECT origin FROM shadow_outbox_origin WHERE id = 1`.pipe(
          fail("read outbox origin"),
          Effect.flatMap((rows) =>
            rows[0] === undefined
              ? Effect.fail(
                  new StoreError({
                    backend,
                    operation: "read outbox origin",
                    message: `${backend} has no outbox origin: its schema migrations have not run`
                  })
                )
              : Effect.succeed((cachedOrigin = rows[0].origin))
          )
        )
  )

  const append = (op: WriteOp, recordedAt: number) => {
    const key = aggregateKey(op)
    const payload = encodeOp(op)
    const statement = isPg
      ? sql<{ seq: number | string }>`WITH ordered AS MATERIALIZED (SELECT pg_advisory_xact_lock(${sql.literal(
          String(outboxLockKey)
        )}))
          INSERT INTO shadow_outbox (seq, aggregate_key, operation, payload, recorded_at)
          SELECT nextval('shadow_outbox_seq'), ${key}, ${op._tag}, ${payload}, ${recordedAt} FROM ordered
          RETURNING seq`
      : sql<{ seq: number | string }>`INSERT INTO shadow_outbox (aggregate_key, operation, payload, recorded_at)
          VALUES (${key}, ${op._tag}, ${payload}, ${recordedAt}) RETURNING seq`
    return statement.pipe(
      Effect.map((rows) => Number(rows[0]?.seq ?? 0)),
      fail("append to the outbox")
    )
  }

  const read = (after: number, limit: number) =>
    sql<OutboxRow>`SELECT seq, aggregate_key, operation, payload, recorded_at FROM shadow_outbox
      WHERE seq > ${after} ORDER BY seq LIMIT ${limit}`.pipe(
      Effect.map((rows) => rows.map(toEntry)),
      fail("read the outbox")
    )

  const head = sql<{ head: number | string | null }>`SELECT MAX(seq) AS head FROM shadow_outbox`.pipe(
    Effect.map((rows) => Number(rows[0]?.head ?? 0)),
    fail("read the outbox head")
  )

  const stats = (after: number) =>
    sql<{ head: number | string | null; pending: number | string; oldest: number | string | null }>`SELECT
        (SELECT MAX(seq) FROM shadow_outbox) AS head,
        (SELECT COUNT(*) FROM shadow_outbox WHERE seq > ${after}) AS pending,
        (SELECT recorded_at FROM shadow_outbox WHERE seq > ${after} ORDER BY seq LIMIT 1) AS oldest`.pipe(
      Effect.map((rows): OutboxStats => ({
        head: Number(rows[0]?.head ?? 0),
        pending: Number(rows[0]?.pending ?? 0),
        oldestPendingAt: rows[0]?.oldest === null || rows[0]?.oldest === undefined ? null : Number(rows[0].oldest)
      })),
      fail("read the outbox depth")
    )

  const trim = (upTo: number) => sql`DELETE FROM shadow_outbox WHERE seq <= ${upTo}`.pipe(Effect.asVoid, fail("trim"))

  const claimLease = (holder: string, now: number, until: number) =>
    sql<{ holder: string }>`UPDATE shadow_applier_lease SET holder = ${holder}, expires_at = ${until}
      WHERE id = 1 AND (holder = ${holder} OR expires_at < ${now}) RETURNING holder`.pipe(
      Effect.map((rows) => rows.length > 0),
      fail("claim the applier lease")
    )

  const releaseLease = (holder: string) =>
    sql`UPDATE shadow_applier_lease SET expires_at = 0 WHERE id = 1 AND holder = ${holder}`.pipe(
      Effect.asVoid,
      fail("release the applier lease")
    )

  const leaseHolder = sql<{
    holder: string
    expires_at: number | string
  }>`SELECT holder, expires_at FROM shadow_applier_lease WHERE id = 1`.pipe(
    Effect.map((rows) => ({ holder: rows[0]?.holder ?? "", expiresAt: Number(rows[0]?.expires_at ?? 0) })),
    fail("read the applier lease")
  )

  // ---- replica (this database as the shadow) -------------------------------------------------------------------

  const position = (from: string) =>
    Effect.gen(function* () {
      const rows = yield* sql<{ seq: number | string }>`SELECT seq FROM shadow_applied WHERE origin = ${from}`
      if (rows[0] !== undefined) return Number(rows[0].seq)
      yield* sql`INSERT INTO shadow_applied (origin, seq, applied_at) VALUES (${from}, 0, 0)
        ON CONFLICT (origin) DO NOTHING`
      const again = yield* sql<{ seq: number | string }>`SELECT seq FROM shadow_applied WHERE origin = ${from}`
      return Number(again[0]?.seq ?? 0)
    }).pipe(fail("read the applied position"))

  const appliedPosition = (from: string) =>
    sql<{ seq: number | string }>`SELECT seq FROM shadow_applied WHERE origin = ${from}`.pipe(
      Effect.map((rows) => (rows[0] === undefined ? null : Number(rows[0].seq))),
      fail("read the applied position")
    )

  const advance = (from: string, before: number, to: number, now: number) =>
    sql<{ seq: number | string }>`UPDATE shadow_applied SET seq = ${to}, applied_at = ${now}
      WHERE origin = ${from} AND seq = ${before} RETURNING seq`.pipe(
      fail("advance the applied position"),
      Effect.flatMap((rows) =>
        rows.length > 0
          ? Effect.void
          : Effect.fail(
              new StoreError({
                backend,
                operation: positionMoved,
                message: `the applied position of ${from} is no longer ${before}: another applier moved it`
              })
            )
      )
    )

  const recordDeadLetters = (letters: ReadonlyArray<DeadLetter>) =>
    Effect.forEach(
      chunks(letters),
      (chunk) =>
        sql`INSERT INTO shadow_dead_letters ${sql.insert(
          chunk.map((l) => ({
            origin: l.origin,
            seq: l.seq,
            aggregate_key: l.aggregateKey,
            operation: l.operation,
            payload: l.payload.replaceAll("\u0000", ""),
            error: storableText(l.error),
            recorded_at: l.recordedAt,
            dead_at: l.deadAt
          }))
        )} ON CONFLICT (origin, seq) DO UPDATE SET error = excluded.error, dead_at = excluded.dead_at`,
      { discard: true }
    ).pipe(fail("record dead letters"))

  const originIs = (from?: string) => (from === undefined ? sql`1 = 1` : sql`origin = ${from}`)

  const deadLetters = (options: { readonly origin?: string; readonly limit?: number } = {}) =>
    sql<DeadLetterRow>`SELECT * FROM shadow_dead_letters WHERE ${originIs(options.origin)}
      ORDER BY origin, seq LIMIT ${options.limit ?? 1000}`.pipe(
      Effect.map((rows) => rows.map(toDeadLetter)),
      fail("read dead letters")
    )

  const deadLetterCount = (from?: string) =>
    sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM shadow_dead_letters WHERE ${originIs(from)}`.pipe(
      Effect.map((rows) => Number(rows[0]?.n ?? 0)),
      fail("count dead letters")
    )

  const heldAggregates = (from: string, except: ReadonlyArray<string>) =>
    sql<{ aggregate_key: string }>`SELECT DISTINCT aggregate_key FROM shadow_dead_letters WHERE origin = ${from} ${
      except.length === 0 ? sql.literal("") : sql`AND NOT (${sql.in("operation", except)})`
    }`.pipe(
      Effect.map((rows): ReadonlySet<string> => new Set(rows.map((r) => r.aggregate_key))),
      fail("read held aggregates")
    )

  const removeDeadLetters = (from: string, seqs: ReadonlyArray<number>) =>
    Effect.forEach(
      chunks(seqs),
      (chunk) => sql`DELETE FROM shadow_dead_letters WHERE origin = ${from} AND ${sql.in("seq", chunk)}`,
      { discard: true }
    ).pipe(fail("remove dead letters"))

  return {
    outbox: { origin, append, read, head, stats, trim, claimLease, releaseLease, leaseHolder },
    replica: {
      position,
      appliedPosition,
      advance,
      recordDeadLetters,
      deadLetters,
      deadLetterCount,
      heldAggregates,
      removeDeadLetters
    }
  }
}
