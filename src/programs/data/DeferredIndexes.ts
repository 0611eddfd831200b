/**
 * Secondary indexes built once after a bulk load instead of row by row during it: building the full-text GIN
 * index and the btrees over loaded rows costs a fraction of maintaining them through every COPY batch. (Keeping
 * the GIN index with a pending list as large as the load, merged once at the end, was measured too: slower, as
 * PostgreSQL then computes every tsvector inside the load's critical path.)
 *
 * Safe by construction:
 * - only for a table that is empty when its load starts (nobody can be reading rows through its indexes);
 * - only indexes that enforce nothing (not unique, not backing a constraint): keys and foreign keys stay checked;
 * - each definition is recorded in `omega_deferred_indexes`, in the transaction that drops the index, so a load
 *   killed at any point leaves the definitions behind; the next load (or `omega-db schema`) builds them;
 * - a load that fails or is stopped builds them before it ends (LoadTables.ts), so only a killed one leaves any.
 */
import { Effect } from "effect"
import type Pg from "pg"
import { PostgresDatabase } from "../../runtime/layers/PostgresDatabase.js"
import { withConnectionPermit } from "./ConnectionBudget.js"
import { causeMessage, LoadError } from "./DataErrors.js"
import type { PgFailure, PgSession } from "./PgSession.js"

export const deferredIndexesTable = "omega_deferred_indexes"

interface DeferredIndex {
  readonly table_name: string
  readonly index_name: string
  readonly definition: string
}

/** One statement on a connection of its own, within the load's connection budget (see ConnectionBudget.ts). */
const run = <R extends Pg.QueryResultRow>(pool: Pg.Pool, table: string, text: string, values?: Array<unknown>) =>
  Effect.tryPromise({
    try: () => pool.query<R>(text, values),
    catch: (cause) => new LoadError({ table, message: `indexes of ${table}: ${causeMessage(cause)}`, cause })
  }).pipe(withConnectionPermit(pool))

/**
 * Whether a load of `table` can expect its indexes deferred: the table is empty now. Only a hint for planning the
 * load (deferIndexes decides again, under a lock).
 */
export const startsEmpty = (table: string) =>
  Effect.gen(function* () {
    const { pool } = yield* PostgresDatabase
    const result = yield* run<{ empty: boolean }>(pool, table, `SELECT NOT EXISTS (SELECT 1 FROM "${table}") AS empty`)
    return result.rows[0]?.empty === true
  })

/** Creates the bookkeeping table; once per load, before tables run in parallel (concurrent DDL would race). */
export const prepareDeferral = Effect.gen(function* () {
  const { pool } = yield* PostgresDatabase
  yield* run(
    pool,
    deferredIndexesTable,
    `CREATE TABLE IF NOT EXISTS ${deferredIndexesTable} (table_name TEXT NOT NULL, index_name TEXT PRIMARY KEY, definition TEXT NOT NULL)`
  )
})

/** Whether an index definition is a GIN index (the full-text index). */
const isGin = (definition: string): boolean => /USING gin/i.test(definition)

/**
 * In one transaction on the table's own connection (so a one-connection pool suffices): record and drop the
 * table's non-enforcing indexes, if the table is empty. Returns the names of the indexes deferred.
 */
export const deferIndexes = (session: PgSession, table: string) =>
  Effect.gen(function* () {
    const fail = (error: PgFailure) =>
      new LoadError({ table, message: `indexes of ${table}: ${error.message}`, cause: error })
    const deferred = Effect.gen(function* () {
      yield* session.query("BEGIN")
      // Taken before looking, so no row can arrive between "empty" and the drop.
      yield* session.query(`LOCK TABLE "${table}" IN SHARE ROW EXCLUSIVE MODE`)
      const empty = (yield* session.query<{ empty: boolean }>(`SELECT NOT EXISTS (SELECT 1 FROM "${table}") AS empty`))
        .rows[0]?.empty
      if (!empty) {
        yield* session.query("ROLLBACK")
        return []
      }
      const indexes = yield* session.query<{ name: string; definition: string }>(
        `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          WHERE i.indrelid = $1::regclass AND NOT i.indisunique AND NOT i.indisprimary
            AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
        [`"${table}"`]
      )
      for (const index of indexes.rows) {
        yield* session.query(
          `INSERT INTO ${deferredIndexesTable} (table_name, index_name, definition) VALUES ($1, $2, $3) ON CONFLICT (index_name) DO NOTHING`,
          [table, index.name, index.definition]
        )
        yield* session.query(`DROP INDEX "${index.name}"`)
      }
      yield* session.query("COMMIT")
      return indexes.rows.map((i) => i.name)
    })
    // A failure inside the transaction leaves the connection to be destroyed by the session's scope.
    return yield* Effect.mapError(deferred, fail)
  })

/**
 * Builds the recorded indexes (of `table`, or of every table), `concurrency` at a time (fewer when the pool has
 * fewer free connections: each build waits for one), each on its own connection, the longest (GIN) first, and
 * forgets each record once its index exists. Returns the names built.
 */
export const rebuildIndexes = (table: string | undefined, concurrency: number) =>
  Effect.gen(function* () {
    const { pool } = yield* PostgresDatabase
    const label = table ?? "all tables"
    const exists = yield* run<{ present: boolean }>(
      pool,
      label,
      `SELECT to_regclass('${deferredIndexesTable}') IS NOT NULL AS present`
    )
    if (!exists.rows[0]?.present) return []
    const recorded = yield* run<DeferredIndex>(
      pool,
      label,
      `SELECT table_name, index_name, definition FROM ${deferredIndexesTable}${table === undefined ? "" : " WHERE table_name = $1"}`,
      table === undefined ? undefined : [table]
    )
    const ordered = [...recorded.rows].sort((a, b) => Number(isGin(b.definition)) - Number(isGin(a.definition)))
    yield* Effect.forEach(
      ordered,
      (index) =>
        Effect.zipRight(
          run(
            pool,
            index.table_name,
            `SET maintenance_work_mem = '256MB'; ${index.definition.replace(/^CREATE INDEX /i, "CREATE INDEX IF NOT EXISTS ")}; RESET maintenance_work_mem`
          ),
          run(pool, index.table_name, `DELETE FROM ${deferredIndexesTable} WHERE index_name = $1`, [index.index_name])
        ).pipe(
          // A build that has started is finished even when the load is stopped: interrupting it would not stop the
          // server, and the load's finalizer would only start the same build again beside it.
          Effect.uninterruptible
        ),
      { concurrency: Math.max(1, concurrency), discard: true }
    )
    if (table === undefined) {
      // Leave no bookkeeping table behind once nothing is deferred (locked, so no definition can slip in between).
      yield* run(
        pool,
        label,
        `DO $$ BEGIN
           LOCK TABLE ${deferredIndexesTable} IN ACCESS EXCLUSIVE MODE;
           IF NOT EXISTS (SELECT 1 FROM ${deferredIndexesTable}) THEN DROP TABLE ${deferredIndexesTable}; END IF;
         END $$`
      )
    }
    return ordered.map((i) => i.index_name)
  })
