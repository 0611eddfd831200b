/**
 * How the store opens a transaction on its client.
 *
 * `sql.withTransaction` prepares its BEGIN and COMMIT afresh every time (`executeUnprepared`), which on
 * better-sqlite3 costs two statement compilations per transaction: on a bot's single write with its outbox entry
 * (shadow mode), a tenth of the write. On better-sqlite3 the store therefore opens its transactions through the
 * same machinery (`SqlClient.makeWithTransaction`: the shared TransactionConnection key, savepoints when nested,
 * rollback on failure) with statements from the client's prepared-statement cache. Other clients keep
 * `withTransaction`: on PostgreSQL a BEGIN is a simple query either way.
 */
import { SqlClient, type SqlError } from "@effect/sql"
import type { Connection } from "@effect/sql/SqlConnection"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Effect, Scope } from "effect"

export type Transactor = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | SqlError.SqlError, R>

/** Runs `statement` prepared once and kept in the client's statement cache. */
const cached = (statement: string) => (conn: Connection) => Effect.asVoid(conn.execute(statement, [], undefined))

export const makeTransactor = (sql: SqlClient.SqlClient): Transactor => {
  if (!(SqliteClient.TypeId in sql)) return sql.withTransaction
  return SqlClient.makeWithTransaction({
    transactionTag: SqlClient.TransactionConnection,
    spanAttributes: [["db.system.name", "sqlite"]],
    acquireConnection: Effect.flatMap(Scope.make(), (scope) =>
      Effect.map(Scope.extend(sql.reserve, scope), (conn) => [scope, conn] as const)
    ),
    begin: cached("BEGIN"),
    savepoint: (conn, id) => cached(`SAVEPOINT effect_sql_${id}`)(conn),
    commit: cached("COMMIT"),
    rollback: cached("ROLLBACK"),
    rollbackSavepoint: (conn, id) => cached(`ROLLBACK TO SAVEPOINT effect_sql_${id}`)(conn)
  })
}
