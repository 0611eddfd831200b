/**
 * The part of a DatabaseStore the shadow path needs beyond reads and single writes (see `DatabaseStore`): a write
 * with its outbox entry, transactions, many replica writes at once, and the replication tables. Built by SqlStore over its own client,
 * so the modes never hold one.
 */
import { SqlClient, type SqlError } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Duration, Effect, Predicate, Schedule } from "effect"
import { type Backend, StoreError } from "../domain/Errors.js"
import { messagesTable, queriesTable } from "../domain/Tables.js"
import { type AppliedWrite, aggregateKey, type WriteOp } from "../domain/WriteOp.js"
import { type BatchInsertOp, isBatchInsert, makeInsertMany } from "./BatchInserts.js"
import { capturedEntryReturning, installInsertCapture } from "./InsertCapture.js"
import { encodeRow } from "./RowCodec.js"
import { encodeOp, makeSqlReplicationLog, outboxLockKey } from "./SqlReplicationLog.js"
import type { ApplyOptions, DatabaseStore } from "./Store.js"
import { makeTransactor } from "./Transactions.js"

const isSqlError = (u: unknown): u is SqlError.SqlError => Predicate.isTagged(u, "SqlError")

/** SQLITE_BUSY (any of its forms) somewhere in an error's causes. */
const isBusy = (cause: unknown, depth = 0): boolean => {
  if (depth > 5 || typeof cause !== "object" || cause === null) return false
  const code = (cause as { code?: unknown }).code
  return (
    (typeof code === "string" && code.startsWith("SQLITE_BUSY")) ||
    isBusy((cause as { cause?: unknown }).cause, depth + 1)
  )
}

type RecordedWrite = { readonly applied: AppliedWrite; readonly seq: number; readonly payload: string }

export const storeReplication = (
  sql: SqlClient.SqlClient,
  backend: Backend,
  apply: (op: WriteOp, options?: ApplyOptions) => Effect.Effect<AppliedWrite, StoreError>
): Pick<DatabaseStore, "applyRecorded" | "transaction" | "applyMany" | "outbox" | "replica"> => {
  const storeError = (operation: string) => (cause: SqlError.SqlError) =>
    new StoreError({
      backend,
      operation,
      message: `${backend} ${operation} failed: ${cause.cause instanceof Error ? cause.cause.message : cause.message}`,
      cause
    })

  // better-sqlite3's client opens deferred transactions, whose first read pins a snapshot that can no longer take the
  // write lock once another process (a second bot on the file) has committed: SQLITE_BUSY at once, no busy wait.
  // A transaction of our own that may read first therefore turns immediate before its first statement: the write
  // lock is taken first, waiting out the busy timeout like any single write. (One nested in another cannot.)
  const immediate =
    backend === "sqlite" && SqliteClient.TypeId in sql
      ? Effect.zipRight(sql.unsafe("COMMIT"), sql.unsafe("BEGIN IMMEDIATE"))
      : undefined

  const withTransaction = makeTransactor(sql)

  const inTransaction =
    (takeLockFirst: boolean) =>
    <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | StoreError, R> =>
      Effect.flatMap(Effect.serviceOption(SqlClient.TransactionConnection), (open) =>
        withTransaction(
          immediate === undefined || !takeLockFirst || open._tag === "Some"
            ? effect
            : Effect.zipRight(immediate, effect)
        )
      ).pipe(
        Effect.catchIf(isSqlError, (error) => Effect.fail(storeError("transaction")(error))),
        // @effect/sql turns a failed COMMIT or ROLLBACK (the connection lost in the middle) into a defect: the
        // outcome is unknown to us, which callers must handle like any other failed transaction.
        Effect.catchAllDefect((defect) =>
          isSqlError(defect) ? Effect.fail(storeError("commit")(defect)) : Effect.die(defect)
        )
      )

  const transaction = inTransaction(true)

  const log = makeSqlReplicationLog(sql, backend)

  /**
   * Writes whose first statement is a write (SqlStore.apply): their transaction takes the lock by itself, with the
   * busy wait, and saves the two statements of turning it immediate, a quarter of a SQLite write's cost.
   */
  const startsWithWrite = (op: WriteOp) => {
    switch (op._tag) {
      case "InsertMessage":
      case "InsertQuery":
      case "InsertProfile":
      case "CreateDocument":
      case "DeleteDocument":
      case "RemoveCollaborator":
      case "IncrementMessageCount":
        return true
      case "UpdateDocument":
      case "UpdateProfile":
        // An update with nothing to set only looks the row up.
        return Object.values(op.set).some((v) => v !== undefined)
      default:
        return false
    }
  }

  /**
   * A message or query insert on PostgreSQL as ONE statement with its outbox entry (data-modifying CTEs commit
   * together): a single round trip instead of four (BEGIN, insert, outbox, COMMIT), for nearly all of a bot's
   * writes. The entry's number is drawn under the same advisory lock as in `append`.
   */
  const pgInsertRecorded = (op: Extract<WriteOp, { _tag: "InsertMessage" | "InsertQuery" }>, recordedAt: number) => {
    const table = op._tag === "InsertMessage" ? messagesTable : queriesTable
    const payload = encodeOp(op)
    return sql<{ seq: number | string }>`WITH written AS (
        INSERT INTO ${sql(table.name)} ${sql.insert(encodeRow(table.columns, op.row, backend))} RETURNING id
      ), ordered AS MATERIALIZED (SELECT pg_advisory_xact_lock(${sql.literal(String(outboxLockKey))}) FROM written)
      INSERT INTO shadow_outbox (seq, aggregate_key, operation, payload, recorded_at)
      SELECT nextval('shadow_outbox_seq'), ${aggregateKey(op)}, ${op._tag}, ${payload}, ${recordedAt} FROM ordered
      RETURNING seq`.pipe(
      Effect.map((rows) => ({
        applied: { rowsAffected: rows.length, replicate: op } satisfies AppliedWrite,
        seq: Number(rows[0]?.seq ?? 0),
        payload
      })),
      Effect.mapError(storeError(`apply ${op._tag}`))
    )
  }

  /**
   * Even a first statement that writes reads a snapshot before it takes the lock, and finds it stale when another
   * process committed in that moment (SQLITE_BUSY_SNAPSHOT, at once); a file another process is still setting up
   * answers SQLITE_BUSY without waiting. Nothing was written either way: `body` runs again in a transaction turned
   * immediate, after a short pause that lets the other process's event loop run too.
   */
  const retried = (first: Effect.Effect<RecordedWrite, StoreError>, body: Effect.Effect<RecordedWrite, StoreError>) =>
    first.pipe(
      Effect.catchIf(
        (error) => error._tag === "StoreError" && isBusy(error.cause),
        () =>
          inTransaction(true)(body).pipe(
            Effect.retry({
              while: (error) => error._tag === "StoreError" && isBusy(error.cause),
              schedule: Schedule.exponential(Duration.millis(10)).pipe(Schedule.intersect(Schedule.recurs(4)))
            })
          )
      )
    )

  /**
   * A message or query insert on better-sqlite3 as ONE statement: its trigger records the entry (InsertCapture),
   * installed before the first such insert. Where the triggers cannot be installed (`capture` is false), the
   * entry is appended from here, as for any other write.
   */
  const capture =
    backend === "sqlite" && SqliteClient.TypeId in sql
      ? Effect.runSync(
          Effect.cached(
            installInsertCapture(sql).pipe(
              Effect.as(true),
              Effect.catchAll((error) =>
                Effect.as(
                  Effect.logWarning("outbox triggers not installed; entries appended by statement", error),
                  false
                )
              )
            )
          )
        )
      : Effect.succeed(false)

  const capturedInsert = (op: Extract<WriteOp, { _tag: "InsertMessage" | "InsertQuery" }>) => {
    const table = op._tag === "InsertMessage" ? messagesTable : queriesTable
    return sql<{
      outbox_seq: number | null
      outbox_payload: string | null
    }>`INSERT INTO ${sql(table.name)} ${sql.insert(
      encodeRow(table.columns, op.row, backend)
    )} RETURNING ${sql.literal(capturedEntryReturning)}`.pipe(
      Effect.map((rows): RecordedWrite => ({
        applied: { rowsAffected: rows.length, replicate: op },
        seq: Number(rows[0]?.outbox_seq ?? 0),
        payload: rows[0]?.outbox_payload ?? ""
      })),
      Effect.mapError(storeError(`apply ${op._tag}`))
    )
  }

  const applyRecorded = (op: WriteOp, recordedAt: number): Effect.Effect<RecordedWrite, StoreError> => {
    if (op._tag === "InsertMessage" || op._tag === "InsertQuery") {
      if (backend === "postgres") return pgInsertRecorded(op, recordedAt)
      return Effect.flatMap(capture, (captured) =>
        captured ? retried(capturedInsert(op), capturedInsert(op)) : recordedByStatement(op, recordedAt)
      )
    }
    return recordedByStatement(op, recordedAt)
  }

  const recordedByStatement = (op: WriteOp, recordedAt: number) => {
    const body = Effect.flatMap(apply(op), (applied) => {
      // A write that changed nothing has nothing to replicate.
      if (applied.rowsAffected === 0) return Effect.succeed({ applied, seq: 0, payload: "" })
      const payload = encodeOp(applied.replicate)
      return Effect.map(log.outbox.append(applied.replicate, recordedAt), (seq) => ({ applied, seq, payload }))
    })
    return retried(inTransaction(!startsWithWrite(op))(body), body)
  }

  const insertMany = makeInsertMany(sql, backend)

  const applyMany = (ops: ReadonlyArray<WriteOp>) =>
    Effect.gen(function* () {
      const results: Array<AppliedWrite | undefined> = Array.from({ length: ops.length })
      for (const tag of ["InsertMessage", "InsertQuery"] as const) {
        const group: Array<readonly [BatchInsertOp, number]> = []
        ops.forEach((op, i) => {
          if (isBatchInsert(op) && op._tag === tag) group.push([op, i])
        })
        if (group.length === 0) continue
        const written = yield* insertMany(group.map(([op]) => op))
        for (const [op, i] of group) results[i] = { rowsAffected: written.has(op.row.id) ? 1 : 0, replicate: op }
      }
      for (const [i, op] of ops.entries()) {
        if (results[i] === undefined) results[i] = yield* apply(op, { asReplica: true })
      }
      return results as ReadonlyArray<AppliedWrite>
    })

  return { applyRecorded, transaction, applyMany, ...log }
}
