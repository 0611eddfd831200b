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
import { pgColumnTypes } from "../schema/CurrentSchema.js"
import { encodeRow } from "./RowCodec.js"
import { upsertOnIdText } from "./UpsertClause.js"

export type BatchInsertOp = Extract<WriteOp, { _tag: "InsertMessage" | "InsertQuery" }>

export const isBatchInsert = (op: WriteOp): op is BatchInsertOp =>
  op._tag === "InsertMessage" || op._tag === "InsertQuery"

/** Upserts the rows of `ops` (one table per call); succeeds with the ids the database reports as written. */
export type InsertMany = (ops: ReadonlyArray<BatchInsertOp>) => Effect.Effect<ReadonlySet<string>, StoreError>

/**
 * Rows per statement. SQLite: well under its parameter limit (23 columns x 500 = 11,500). PostgreSQL's statement
 * has one parameter per column whatever the rows; a shadow batch (SHADOW_BATCH_SIZE) goes in one.
 */
const maxRows = { sqlite: 500, postgres: 5000 } satisfies Record<Backend, number>

export const makeInsertMany = (sql: SqlClient.SqlClient, backend: Backend): InsertMany => {
  const upserts = {
    messages: upsertOnIdText(Object.keys(messagesTable.columns)),
    queries: upsertOnIdText(Object.keys(queriesTable.columns))
  }
  const upsertOf = (table: Table) => (table.name === "messages" ? upserts.messages : upserts.queries)

  /** SQLite: a multi-row VALUES list. */
  const valuesChunk = (table: Table, rows: ReadonlyArray<Record<string, unknown>>) =>
    sql<{ id: string }>`INSERT INTO ${sql(table.name)} ${sql.insert(
      rows.map((r) => encodeRow(table.columns, r, backend))
    )} ${sql.literal(upsertOf(table))} RETURNING id`

  /**
   * PostgreSQL: one array parameter per column, spread into rows by `unnest`. A VALUES list of 500 rows is 11,500
   * parameters for the server to parse and bind; 23 arrays are not, and the batch is applied about a quarter
   * faster. Rows that leave different columns out (their defaults apply) go in separate statements.
   */
  const unnestChunk = (table: Table, rows: ReadonlyArray<Record<string, unknown>>) => {
    const groups = new Map<string, Array<Record<string, unknown>>>()
    for (const row of rows) {
      const encoded = encodeRow(table.columns, row, backend)
      const key = Object.keys(encoded).join(",")
      const group = groups.get(key)
      if (group === undefined) groups.set(key, [encoded])
      else group.push(encoded)
    }
    return Effect.map(
      Effect.forEach(groups.values(), (group) => {
        const names = Object.keys(group[0]!)
        const spread = names.map((name, i) => `$${i + 1}::${pgColumnTypes[table.columns[name]!.kind]}[]`)
        return sql.unsafe<{ id: string }>(
          `INSERT INTO "${table.name}" (${names.map((n) => `"${n}"`).join(", ")}) ` +
            `SELECT * FROM unnest(${spread.join(", ")}) ${upsertOf(table)} RETURNING id`,
          names.map((name) => group.map((row) => row[name] ?? null))
        )
      }),
      (results) => results.flat()
    )
  }

  const insertChunk = backend === "postgres" ? unnestChunk : valuesChunk

  return (ops) => {
    if (ops.length === 0) return Effect.succeed(new Set<string>())
    const table = ops[0]!._tag === "InsertMessage" ? messagesTable : queriesTable
    // One statement may not upsert the same id twice (PostgreSQL refuses); the last write of an id wins anyway.
    const byId = new Map<string, Record<string, unknown>>()
    for (const op of ops) byId.set(op.row.id, op.row)
    const rows = [...byId.values()]
    const chunks: Array<ReadonlyArray<Record<string, unknown>>> = []
    for (let i = 0; i < rows.length; i += maxRows[backend]) chunks.push(rows.slice(i, i + maxRows[backend]))
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
