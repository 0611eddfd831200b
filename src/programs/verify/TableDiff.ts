/**
 * Compares one table across the two databases by merge-joining both in key order and comparing row checksums.
 * Each difference is handed to a callback as it is found (verify keeps the first few keys, repair fixes them),
 * so memory stays bounded by the page size whatever the table's size.
 */
import type { SqlClient, SqlError } from "@effect/sql"
import { Effect, Option } from "effect"
import type { Backend } from "../../runtime/domain/Errors.js"
import type { Table } from "../../runtime/domain/Tables.js"
import type { DbRow } from "../../runtime/store/RowCodec.js"
import { rowChecksum } from "./CanonicalRow.js"
import { compareKeys } from "./KeyOrder.js"
import { keyOf, rowCursor } from "./RowPages.js"

export type DifferenceKind = "missingInPostgres" | "missingInSqlite" | "different"

export interface KeyDifference {
  readonly table: Table
  readonly kind: DifferenceKind
  readonly key: string
  /** The row as each database returned it (absent on the side that lacks it). */
  readonly sqliteRow: Option.Option<DbRow>
  readonly postgresRow: Option.Option<DbRow>
}

export interface TableDiffCounts {
  readonly table: string
  readonly sqliteRows: number
  readonly postgresRows: number
  readonly equal: number
  readonly missingInPostgres: number
  readonly missingInSqlite: number
  readonly different: number
}

export interface DiffClients {
  readonly sqlite: SqlClient.SqlClient
  readonly postgres: SqlClient.SqlClient
}

/** The side that lacks a row of a difference, if one does. */
export const missingOn = (kind: DifferenceKind): Backend | undefined =>
  kind === "missingInPostgres" ? "postgres" : kind === "missingInSqlite" ? "sqlite" : undefined

export const diffTable = <E, R>(
  clients: DiffClients,
  table: Table,
  pageSize: number,
  onDifference: (difference: KeyDifference) => Effect.Effect<void, E, R>
): Effect.Effect<TableDiffCounts, SqlError.SqlError | E, R> =>
  Effect.gen(function* () {
    const left = yield* rowCursor(clients.sqlite, table, pageSize)
    const right = yield* rowCursor(clients.postgres, table, pageSize)
    const counts = { sqliteRows: 0, postgresRows: 0, equal: 0, missingInPostgres: 0, missingInSqlite: 0, different: 0 }
    let s = yield* left.next
    let p = yield* right.next
    while (Option.isSome(s) || Option.isSome(p)) {
      const order = Option.isNone(s) ? 1 : Option.isNone(p) ? -1 : compareKeys(keyOf(s.value), keyOf(p.value))
      if (order < 0) {
        const row = Option.getOrThrow(s)
        counts.sqliteRows++
        counts.missingInPostgres++
        yield* onDifference({
          table,
          kind: "missingInPostgres",
          key: keyOf(row),
          sqliteRow: s,
          postgresRow: Option.none()
        })
        s = yield* left.next
      } else if (order > 0) {
        const row = Option.getOrThrow(p)
        counts.postgresRows++
        counts.missingInSqlite++
        yield* onDifference({
          table,
          kind: "missingInSqlite",
          key: keyOf(row),
          sqliteRow: Option.none(),
          postgresRow: p
        })
        p = yield* right.next
      } else {
        const sRow = Option.getOrThrow(s)
        const pRow = Option.getOrThrow(p)
        counts.sqliteRows++
        counts.postgresRows++
        if (rowChecksum(table, sRow, "sqlite") === rowChecksum(table, pRow, "postgres")) {
          counts.equal++
        } else {
          counts.different++
          yield* onDifference({ table, kind: "different", key: keyOf(sRow), sqliteRow: s, postgresRow: p })
        }
        s = yield* left.next
        p = yield* right.next
      }
    }
    return { table: table.name, ...counts }
  })
