/**
 * Many message or query inserts as one multi-row upsert. These are nearly all of a bot's writes, and a shadow
 * that sent them one statement each would spend its time on round trips and statement overhead; as one
 * statement per batch the shadow keeps up with several thousand writes a second. The statement is the replica
 * form of `Store.apply` (`ON CONFLICT (id) DO UPDATE` every column), so retries and replays still converge.
 * `DatabaseStore.applyMany` is built on it.
 */
import type { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { type Backend, StoreError } from "../domain/Errors.js"
import { messagesTable, queriesTable, type Table } from "../domain/Tables.js"
import type { WriteOp } from "../domain/WriteOp.js"
import { encodeRow } from "./RowCodec.js"
import { upsertOnId } from "./UpsertClause.js"

export type BatchInsertOp = Extract<WriteOp, { _tag: "InsertMessage" | "InsertQuery" }>

export const isBatchInsert = (op: WriteOp): op is BatchInsertOp =>
  op._tag === "InsertMessage" || op._tag === "InsertQuery"

/** Upserts the rows of `ops` (one table per call); succeeds with the ids the database reports as written. */
export type InsertMany = (ops: ReadonlyArray<BatchInsertOp>) => Effect.Effect<ReadonlySet<string>, StoreError>

/** Rows per statement: well under both drivers' parameter limits (23 columns x 500 = 11,500). */
const maxRows = 500

export const makeInsertMany = (sql: SqlClient.SqlClient, backend: Backend): InsertMany => {
  const upsert = (table: Table) => upsertOnId(sql, Object.keys(table.columns))
  const clauses = { messages: upsert(messagesTable), queries: upsert(queriesTable) }

  const insertChunk = (table: Table, rows: ReadonlyArray<Record<string, unknown>>) =>
    sql<{
      id: string
    }>`INSERT INTO ${sql(table.name)} ${sql.insert(rows.map((r) => encodeRow(table.columns, r, backend)))} ${
      table.name === "messages" ? clauses.messages : clauses.queries
    } RETURNING id`

  return (ops) => {
    if (ops.length === 0) return Effect.succeed(new Set<string>())
    const table = ops[0]!._tag === "InsertMessage" ? messagesTable : queriesTable
    // One statement may not upsert the same id twice (PostgreSQL refuses); the last write of an id wins anyway.
    const byId = new Map<string, Record<string, unknown>>()
    for (const op of ops) byId.set(op.row.id, op.row)
    const rows = [...byId.values()]
    const chunks: Array<ReadonlyArray<Record<string, unknown>>> = []
    for (let i = 0; i < rows.length; i += maxRows) chunks.push(rows.slice(i, i + maxRows))
    return Effect.forEach(chunks, (chunk) => insertChunk(table, chunk)).pipe(
      Effect.map((results): ReadonlySet<string> => new Set(results.flat().map((r) => r.id))),
      Effect.mapError(
        (cause) =>
          new StoreError({
            backend,
            operation: `apply ${ops[0]!._tag} (batch)`,
            message: `${backend} batch insert into ${table.name} failed: ${cause.cause instanceof Error ? cause.cause.message : cause.message}`,
            cause
          })
      )
    )
  }
}
