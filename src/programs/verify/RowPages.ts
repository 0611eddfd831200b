/**
 * Reads a table in primary-key order, one page at a time (`WHERE id > last ORDER BY id LIMIT n`), so that
 * comparing or repairing a table of any size holds one page per database in memory. Paging by key rather than
 * streaming is deliberate: the SQLite client cannot stream, and both databases order keys by bytes.
 */
import type { SqlClient, SqlError } from "@effect/sql"
import { Effect, Option } from "effect"
import type { Table } from "../../runtime/domain/Tables.js"
import type { DbRow } from "../../runtime/store/RowCodec.js"

export const readPage = (
  sql: SqlClient.SqlClient,
  table: Table,
  after: Option.Option<string>,
  limit: number
): Effect.Effect<ReadonlyArray<DbRow>, SqlError.SqlError> =>
  Option.match(after, {
    onNone: () => sql<DbRow>`SELECT * FROM ${sql(table.name)} WHERE id IS NOT NULL ORDER BY id LIMIT ${limit}`,
    onSome: (key) => sql<DbRow>`SELECT * FROM ${sql(table.name)} WHERE id > ${key} ORDER BY id LIMIT ${limit}`
  })

/** The key of a stored row as text (SQLite's type affinity could hand back a number). */
export const keyOf = (row: DbRow): string => String(row["id"])

/** A pull cursor over a table's rows in key order. */
export interface RowCursor {
  readonly next: Effect.Effect<Option.Option<DbRow>, SqlError.SqlError>
}

export const rowCursor = (sql: SqlClient.SqlClient, table: Table, pageSize: number): Effect.Effect<RowCursor> =>
  Effect.sync(() => {
    let page: ReadonlyArray<DbRow> = []
    let index = 0
    let last = Option.none<string>()
    let done = false
    const next: RowCursor["next"] = Effect.suspend(() => {
      if (index < page.length) return Effect.succeed(Option.some(page[index++]!))
      if (done) return Effect.succeed(Option.none())
      return Effect.map(readPage(sql, table, last, pageSize), (rows) => {
        page = rows
        index = 0
        if (rows.length < pageSize) done = true
        const head = rows[index]
        if (head === undefined) return Option.none()
        last = Option.some(keyOf(rows[rows.length - 1]!))
        index++
        return Option.some(head)
      })
    })
    return { next }
  })
