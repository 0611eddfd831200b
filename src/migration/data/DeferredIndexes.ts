/**
 * Secondary indexes of a bulk load, handled so that PostgreSQL does the least work while rows arrive:
 *
 * - btree (and other) indexes are built once after the load instead of row by row: dropped, then created over the
 *   loaded rows, which costs a fraction of maintaining them through every batch;
 * - GIN indexes (the full-text index) stay in place, but with a pending list large enough for the whole load: each
 *   row's tsvector is computed as it arrives (by PostgreSQL, while this process prepares the next batch) and only
 *   appended, and one `gin_clean_pending_list` merges everything at the end, in bulk, like a build.
 *
 * Safe by construction:
 * - only for a table that is empty when its load starts (nobody can be reading rows through its indexes);
 * - only indexes that enforce nothing (not unique, not backing a constraint): keys and foreign keys stay checked;
 * - each dropped definition is recorded in `omega_deferred_indexes`, in the transaction that drops the index, so a
 *   load killed at any point leaves the definitions behind; the next load (or `omega-db schema`) builds them, and
 *   merges any pending list left behind (an unmerged list is valid, only slower to search).
 */
import { Effect } from "effect"
import type Pg from "pg"
import { tables } from "../../domain/Tables.js"
import { PostgresDatabase } from "../../layers/PostgresDatabase.js"
import { causeMessage, LoadError } from "./DataErrors.js"
import type { PgFailure, PgSession } from "./PgSession.js"

export const deferredIndexesTable = "omega_deferred_indexes"

/** Room for the whole load in the pending list (the setting's unit is kB): merged once at the end. */
const loadPendingListKb = 4 * 1024 * 1024

export interface Deferral {
  /** Indexes dropped, to be built after the load. */
  readonly dropped: ReadonlyArray<string>
  /** GIN indexes kept, whose pending list is merged after the load. */
  readonly pending: ReadonlyArray<string>
}

export const noDeferral: Deferral = { dropped: [], pending: [] }

interface DeferredIndex {
  readonly table_name: string
  readonly index_name: string
  readonly definition: string
}

const run = <R extends Pg.QueryResultRow>(pool: Pg.Pool, table: string, text: string, values?: Array<unknown>) =>
  Effect.tryPromise({
    try: () => pool.query<R>(text, values),
    catch: (cause) => new LoadError({ table, message: `indexes of ${table}: ${causeMessage(cause)}`, cause })
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

/**
 * On the table's own connection (so a one-connection pool suffices), if the table is empty: in one transaction,
 * record and drop its non-enforcing indexes except GIN ones; then give GIN a pending list for the whole load.
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
        return noDeferral
      }
      const indexes = yield* session.query<{ name: string; definition: string; pending: boolean }>(
        `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition,
                am.amname = 'gin' AND NOT coalesce('fastupdate=off' = ANY (c.reloptions), false) AS pending
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
          WHERE i.indrelid = $1::regclass AND NOT i.indisunique AND NOT i.indisprimary
            AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
        [`"${table}"`]
      )
      const dropped = indexes.rows.filter((i) => !i.pending)
      for (const index of dropped) {
        yield* session.query(
          `INSERT INTO ${deferredIndexesTable} (table_name, index_name, definition) VALUES ($1, $2, $3) ON CONFLICT (index_name) DO NOTHING`,
          [table, index.name, index.definition]
        )
        yield* session.query(`DROP INDEX "${index.name}"`)
      }
      yield* session.query("COMMIT")
      const pending = indexes.rows.filter((i) => i.pending).map((i) => i.name)
      // Session-wide, for this connection's COPY batches; the load resets it when the table is done.
      if (pending.length > 0) yield* session.query(`SET gin_pending_list_limit = ${loadPendingListKb}`)
      return { dropped: dropped.map((i) => i.name), pending } satisfies Deferral
    })
    // A failure inside the transaction leaves the connection to be destroyed by the session's scope.
    return yield* Effect.mapError(deferred, fail)
  })

/** Ends what `deferIndexes` set on the table's connection. */
export const endDeferral = (session: PgSession, table: string, deferral: Deferral) =>
  deferral.pending.length === 0
    ? Effect.void
    : session.query(`RESET gin_pending_list_limit`).pipe(
        Effect.mapError((error) => new LoadError({ table, message: `indexes of ${table}: ${error.message}` })),
        Effect.asVoid
      )

/** The GIN indexes of the registry's tables: their pending lists are merged when a load ends. */
const ginIndexes = (pool: Pg.Pool, label: string) =>
  Effect.map(
    run<{ name: string; table_name: string }>(
      pool,
      label,
      `SELECT c.relname AS name, t.relname AS table_name
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_am am ON am.oid = c.relam
        WHERE am.amname = 'gin' AND t.relnamespace = current_schema()::regnamespace AND t.relname = ANY ($1)`,
      [tables.map((t) => t.name)]
    ),
    (result) => result.rows
  )

/**
 * Completes the indexes (of `table`, or of every table): builds the recorded ones and merges GIN pending lists,
 * `concurrency` at a time, each on its own connection, the longest (GIN) first; forgets each record once its index
 * exists. Returns the names of the indexes built or merged.
 */
export const rebuildIndexes = (table: string | undefined, concurrency: number, pending: ReadonlyArray<string> = []) =>
  Effect.gen(function* () {
    const { pool } = yield* PostgresDatabase
    const label = table ?? "all tables"
    const exists = yield* run<{ present: boolean }>(
      pool,
      label,
      `SELECT to_regclass('${deferredIndexesTable}') IS NOT NULL AS present`
    )
    const recorded = exists.rows[0]?.present
      ? (yield* run<DeferredIndex>(
          pool,
          label,
          `SELECT table_name, index_name, definition FROM ${deferredIndexesTable}${table === undefined ? "" : " WHERE table_name = $1"}`,
          table === undefined ? undefined : [table]
        )).rows
      : []
    // Without a table, any pending list a killed load left behind is merged too (an empty one costs nothing).
    const merges = table === undefined ? (yield* ginIndexes(pool, label)).map((i) => i.name) : pending
    const work: Array<{ readonly name: string; readonly gin: boolean; readonly run: Effect.Effect<unknown, LoadError> }> = [
      ...merges.map((name) => ({
        name,
        gin: true,
        run: run(
          pool,
          label,
          `SET maintenance_work_mem = '256MB'; SELECT gin_clean_pending_list('"${name}"'::regclass); RESET maintenance_work_mem`
        )
      })),
      ...recorded.map((index) => ({
        name: index.index_name,
        gin: /USING gin/i.test(index.definition),
        run: Effect.zipRight(
          run(
            pool,
            index.table_name,
            `SET maintenance_work_mem = '256MB'; ${index.definition.replace(/^CREATE INDEX /i, "CREATE INDEX IF NOT EXISTS ")}; RESET maintenance_work_mem`
          ),
          run(pool, index.table_name, `DELETE FROM ${deferredIndexesTable} WHERE index_name = $1`, [index.index_name])
        )
      }))
    ].sort((a, b) => Number(b.gin) - Number(a.gin))
    yield* Effect.forEach(work, (item) => item.run, { concurrency: Math.max(1, concurrency), discard: true })
    if (table === undefined && exists.rows[0]?.present) {
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
    return recorded.map((i) => i.index_name)
  })
