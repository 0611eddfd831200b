/**
 * Writes prepared batches of one table into PostgreSQL, each batch atomically, so a load killed at any point
 * leaves whole batches or nothing and a rerun converges.
 *
 * - Fast path (tables without a parent): `COPY table FROM STDIN`, one statement per batch. It is all-or-nothing,
 *   so a batch that hits a row already there (a rerun, rows written by the bot) or a bad value fails as a whole
 *   and is redone on the staged path; after a staged batch that found nothing present, COPY is tried again.
 * - Staged path (child tables always, others on conflict): in one transaction, COPY into a temporary table of the
 *   same shape, then `INSERT ... SELECT ... ON CONFLICT (id) DO NOTHING` (or `DO UPDATE` for `--on-conflict
 *   update`, only where a value differs), keeping rows whose parent is missing out and reporting them as orphans.
 * - A staged batch that PostgreSQL refuses for a row-level reason is split in halves under savepoints until the
 *   offending rows are isolated; those go to the rejects file with PostgreSQL's message, the rest is written.
 */
import { Effect } from "effect"
import type { Table } from "../../runtime/domain/Tables.js"
import { LoadError } from "./DataErrors.js"
import { columnList } from "./CopyText.js"
import { isRowLevel, type PgFailure, type PgSession } from "./PgSession.js"
import { payloadOf, type PreparedBatch } from "./PreparedBatch.js"
import type { Reject } from "./RejectsFile.js"

export type OnConflict = "skip" | "update"

export interface BatchOutcome {
  readonly inserted: number
  readonly updated: number
  /** Rows already present (and, with `update`, identical). */
  readonly skipped: number
  /** Orphans and rows PostgreSQL refused. */
  readonly rejects: ReadonlyArray<Reject>
}

interface Counts {
  inserted: number
  updated: number
  rejects: Array<Reject>
}

const q = (name: string) => `"${name}"`

export interface WriterOptions {
  readonly onConflict: OnConflict
  /** Whether the parent row a foreign key value names was itself rejected in this run (for the orphan's reason). */
  readonly parentRejected?: ((value: string) => boolean) | undefined
}

export const tableWriter = (session: PgSession, table: Table, { onConflict, parentRejected }: WriterOptions) =>
  Effect.gen(function* () {
    const names = Object.keys(table.columns)
    const cols = columnList(names)
    const stage = q(`omega_stage_${table.name}`)
    const target = q(table.name)
    const fk = table.foreignKey
    const fkIndex = fk === undefined ? -1 : names.indexOf(fk.column)
    const parentExists =
      fk === undefined
        ? ""
        : `EXISTS (SELECT 1 FROM ${q(fk.parent)} p WHERE p.${q(fk.parentColumn)} = s.${q(fk.column)})`

    const conflict =
      onConflict === "skip"
        ? `ON CONFLICT (${q(table.primaryKey)}) DO NOTHING`
        : (() => {
            const others = names.filter((n) => n !== table.primaryKey)
            return (
              `ON CONFLICT (${q(table.primaryKey)}) DO UPDATE SET ${others.map((n) => `${q(n)} = EXCLUDED.${q(n)}`).join(", ")} ` +
              `WHERE (${others.map((n) => `t.${q(n)}`).join(", ")}) IS DISTINCT FROM (${others.map((n) => `EXCLUDED.${q(n)}`).join(", ")})`
            )
          })()
    const insertFromStage =
      `WITH w AS (INSERT INTO ${target} AS t (${cols}) SELECT ${cols} FROM ${stage} s` +
      `${fk === undefined ? "" : ` WHERE ${parentExists}`} ${conflict} RETURNING (t.xmax = 0) AS inserted) ` +
      `SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM w`
    const orphansInStage =
      fk === undefined ? "" : `SELECT s.${q(table.primaryKey)} AS key FROM ${stage} s WHERE NOT ${parentExists}`

    const fatal = (error: PgFailure) =>
      new LoadError({ table: table.name, message: `loading ${table.name} failed: ${error.message}`, cause: error })

    // Temporary, so never logged, invisible to others and gone with the connection; LIKE keeps types and NOT NULL.
    yield* session.query(`CREATE TEMP TABLE IF NOT EXISTS ${stage} (LIKE ${target})`).pipe(Effect.mapError(fatal))

    /** Loads rows[from, to) through the stage under a savepoint, halving around rows PostgreSQL refuses. */
    const staged = (batch: PreparedBatch, from: number, to: number, counts: Counts): Effect.Effect<void, LoadError> =>
      Effect.gen(function* () {
        const attempt = Effect.gen(function* () {
          yield* session.query(`SAVEPOINT omega_batch; TRUNCATE ${stage}`)
          yield* session.copyIn(`COPY ${stage} (${cols}) FROM STDIN`, payloadOf(batch, from, to))
          const orphans = fk === undefined ? [] : (yield* session.query<{ key: string }>(orphansInStage)).rows
          const written = (yield* session.query<{ inserted: number; updated: number }>(insertFromStage)).rows[0]
          yield* session.query(`RELEASE SAVEPOINT omega_batch`)
          return { orphans, inserted: written?.inserted ?? 0, updated: written?.updated ?? 0 }
        })
        const result = yield* Effect.either(attempt)
        if (result._tag === "Right") {
          counts.inserted += result.right.inserted
          counts.updated += result.right.updated
          if (result.right.orphans.length > 0) {
            const orphanKeys = new Set(result.right.orphans.map((o) => o.key))
            for (let i = from; i < to; i++) {
              if (!orphanKeys.has(batch.key(i))) continue
              const row = batch.row(i)
              const value = row[fkIndex] ?? null
              const because =
                typeof value === "string" && parentRejected?.(value)
                  ? `its ${fk!.parent} row was rejected in this run (see that record)`
                  : `no row in ${fk!.parent} has it`
              counts.rejects.push({
                kind: "orphan",
                row,
                column: fk!.column,
                value,
                reason: `orphan: ${fk!.column} ${JSON.stringify(value)} breaks the foreign key: ${because}`
              })
            }
          }
          return
        }
        const error = result.left
        if (!isRowLevel(error)) return yield* fatal(error)
        yield* session
          .query(`ROLLBACK TO SAVEPOINT omega_batch; RELEASE SAVEPOINT omega_batch`)
          .pipe(Effect.mapError(fatal))
        if (to - from === 1) {
          counts.rejects.push({
            kind: "postgres",
            row: batch.row(from),
            reason: `refused by PostgreSQL: ${error.message}${error.code === undefined ? "" : ` [${error.code}]`}`
          })
          return
        }
        const middle = from + Math.floor((to - from) / 2)
        yield* staged(batch, from, middle, counts)
        yield* staged(batch, middle, to, counts)
      })

    const stagedBatch = (batch: PreparedBatch) =>
      Effect.gen(function* () {
        const counts: Counts = { inserted: 0, updated: 0, rejects: [] }
        yield* session.query("BEGIN").pipe(Effect.mapError(fatal))
        yield* staged(batch, 0, batch.size, counts)
        yield* session.query("COMMIT").pipe(Effect.mapError(fatal))
        return counts
      })

    const copySql = `COPY ${target} (${cols}) FROM STDIN`
    // COPY cannot skip rows, so it is only worth trying while batches find nothing already there.
    let tryCopy = fk === undefined

    const write = (batch: PreparedBatch): Effect.Effect<BatchOutcome, LoadError> =>
      Effect.gen(function* () {
        const sent = batch.size
        if (sent === 0) return { inserted: 0, updated: 0, skipped: 0, rejects: [] }
        if (tryCopy) {
          const copied = yield* Effect.either(session.copyIn(copySql, batch.payload))
          if (copied._tag === "Right") return { inserted: copied.right, updated: 0, skipped: 0, rejects: [] }
          if (!isRowLevel(copied.left)) return yield* fatal(copied.left)
        }
        const counts = yield* stagedBatch(batch)
        const skipped = sent - counts.inserted - counts.updated - counts.rejects.length
        tryCopy = fk === undefined && skipped === 0 && counts.updated === 0 && counts.rejects.length === 0
        return { inserted: counts.inserted, updated: counts.updated, skipped, rejects: counts.rejects }
      })

    return { write }
  })
