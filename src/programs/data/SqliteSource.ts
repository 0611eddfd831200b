/**
 * The SQLite database as the source of an export or a copy: its own read-only better-sqlite3 connection (the
 * SQLite client of @effect/sql cannot stream), never writing to the bot's file, paged by rowid, the b-tree key.
 * In WAL mode every page is read inside one read transaction, so all tables come from one consistent snapshot
 * while the bot keeps writing; in rollback-journal mode a long read transaction would block the bot's writes,
 * so each page is its own short read instead.
 */
import Database from "better-sqlite3"
import { Context, Effect, Layer } from "effect"
import * as fs from "node:fs"
import { resolve } from "node:path"
import type { Table, TableName } from "../../runtime/domain/Tables.js"
import type { SqliteCell } from "./ConversionRules.js"
import { causeMessage, SourceError } from "./DataErrors.js"
import type { PageReader } from "./PageReader.js"
import { inspectSchema, type SchemaForm, type TableColumns } from "./SchemaForm.js"

/** Cells in registry column order; a column the file lacks is NULL. */
export type SourceRow = ReadonlyArray<SqliteCell>

export interface SqliteSourceShape {
  readonly path: string
  readonly form: SchemaForm
  /** Whether this project's schema migrations have upgraded the file (it has their bookkeeping table). */
  readonly upgraded: boolean
  /** Whether all reads come from one snapshot (WAL mode). */
  readonly snapshot: boolean
  readonly columns: (table: TableName) => TableColumns
  readonly count: (table: TableName) => Effect.Effect<number, SourceError>
  /**
   * The table's rows in pages of up to `pageRows`, by rowid (only those in `range`, when given): memory holds one
   * page at a time. Throws SourceError.
   */
  readonly reader: (table: Table, pageRows: number, range?: RowidRange) => PageReader
  /** Up to `parts` disjoint rowid ranges that together cover the table, for reading it in parallel streams. */
  readonly ranges: (table: TableName, parts: number) => Effect.Effect<ReadonlyArray<RowidRange>, SourceError>
}

/** Rows with `after < rowid <= upTo`. */
export interface RowidRange {
  readonly after: bigint
  readonly upTo: bigint
}

const minRowid = -(2n ** 63n)
const maxRowid = 2n ** 63n - 1n

/**
 * Splits [first, last] into `parts` ranges of equal rowid span. Rowids of the bot's tables grow by one per insert,
 * so equal spans hold about equal rows; deletions only make some ranges a little shorter. The outer bounds stay
 * open, so rows inserted after the split (rollback-journal mode reads without a snapshot) are still read.
 */
export const splitRowids = (first: bigint, last: bigint, parts: number): ReadonlyArray<RowidRange> => {
  const n = BigInt(Math.max(1, Math.floor(parts)))
  const span = last - first + 1n
  if (n === 1n || span < n) return [{ after: minRowid, upTo: maxRowid }]
  const bounds = Array.from({ length: Number(n) - 1 }, (_, i) => first - 1n + (span * BigInt(i + 1)) / n)
  return [minRowid, ...bounds].map((after, i) => ({ after, upTo: bounds[i] ?? maxRowid }))
}

export class SqliteSource extends Context.Tag("@repo/database/SqliteSource")<SqliteSource, SqliteSourceShape>() {}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`

const open = (path: string) =>
  Effect.acquireRelease(
    Effect.try({
      try: () => {
        if (!fs.existsSync(path)) throw new Error("no such file")
        if (!fs.statSync(path).isFile()) throw new Error("not a file")
        const db = new Database(path, { readonly: true, fileMustExist: true, timeout: 5000 })
        try {
          // Opening is lazy: the first read finds out whether the file is a database at all.
          db.prepare("SELECT count(*) FROM sqlite_master").get()
        } catch (error) {
          db.close()
          throw error
        }
        return db
      },
      catch: (cause) =>
        new SourceError({ path, message: `cannot open SQLite database ${path}: ${causeMessage(cause)}`, cause })
    }),
    (db) =>
      Effect.sync(() => {
        if (db.inTransaction) db.exec("ROLLBACK")
        db.close()
      })
  )

export const make = (file: string) =>
  Effect.gen(function* () {
    const path = resolve(file)
    const db = yield* open(path)
    const fail = (what: string) => (cause: unknown) =>
      new SourceError({ path, message: `${what} in ${path}: ${causeMessage(cause)}`, cause })

    const inspection = yield* Effect.try({
      try: () =>
        inspectSchema((table) =>
          db
            .prepare<[string], { name: string }>("SELECT name FROM pragma_table_info(?)")
            .all(table)
            .map((r) => r.name)
        ),
      catch: fail("cannot read the schema")
    })
    if (inspection._tag === "Unknown") {
      return yield* new SourceError({
        path,
        message: `${path} is not the bot's SQLite database: ${inspection.problem}`
      })
    }
    const upgraded =
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'effect_sql_migrations'").get() !==
      undefined
    const journalMode = String(db.pragma("journal_mode", { simple: true })).toLowerCase()
    const snapshot = journalMode === "wal"
    if (snapshot) {
      // BEGIN is deferred: the snapshot is taken by the first read after it.
      yield* Effect.try({
        try: () => {
          db.exec("BEGIN")
          db.prepare("SELECT count(*) FROM sqlite_master").get()
        },
        catch: fail("cannot start a read transaction")
      })
    }

    const columnsOf = (name: TableName): TableColumns => inspection.tables.get(name)!

    const count = (name: TableName) =>
      Effect.try({
        try: () =>
          Number(
            db
              .prepare(`SELECT count(*) FROM ${quote(name)}`)
              .pluck()
              .get()
          ),
        catch: fail(`cannot count ${name}`)
      })

    const ranges = (name: TableName, parts: number) =>
      Effect.try({
        try: () => {
          const bounds = db
            .prepare(`SELECT min(rowid) AS first, max(rowid) AS last FROM ${quote(name)}`)
            .safeIntegers(true)
            .get() as { first: bigint | null; last: bigint | null }
          return bounds.first === null || bounds.last === null
            ? [{ after: minRowid, upTo: maxRowid }]
            : splitRowids(bounds.first, bounds.last, parts)
        },
        catch: fail(`cannot split ${name}`)
      })

    const reader = (table: Table, pageRows: number, range?: RowidRange): PageReader => {
      const { present } = columnsOf(table.name)
      const have = new Set(present)
      const selectList = Object.keys(table.columns)
        .map((name) => (have.has(name) ? quote(name) : `NULL AS ${quote(name)}`))
        .join(", ")
      const width = Object.keys(table.columns).length
      const failRead = fail(`cannot read ${table.name}`)
      let statement: Database.Statement | undefined
      let after: bigint = range?.after ?? minRowid
      const upTo: bigint = range?.upTo ?? maxRowid
      let done = false
      return {
        pageRows,
        next: () => {
          if (done) return []
          try {
            statement ??= db
              .prepare(
                `SELECT ${selectList}, rowid FROM ${quote(table.name)} WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?`
              )
              .raw(true)
              .safeIntegers(true)
            // The rowid rides along as the last cell; it is the cursor of the next page.
            const rows = statement.all(after, upTo, pageRows) as Array<Array<SqliteCell>>
            const last = rows[rows.length - 1]
            if (last === undefined || rows.length < pageRows) done = true
            else after = last[width] as bigint
            return rows
          } catch (cause) {
            throw failRead(cause)
          }
        }
      }
    }

    return {
      path,
      form: inspection.form,
      upgraded,
      snapshot,
      columns: columnsOf,
      count,
      reader,
      ranges
    } satisfies SqliteSourceShape
  })

/** Opens `path` read-only for the scope of the layer. */
export const layer = (path: string): Layer.Layer<SqliteSource, SourceError> => Layer.scoped(SqliteSource, make(path))

/** Warnings about the source that do not stop a load but that the operator must see. */
export const sourceWarnings = (source: SqliteSourceShape, names: ReadonlyArray<TableName>) => {
  const warnings: Array<string> = []
  for (const name of names) {
    const { extra, missing } = source.columns(name)
    if (extra.length > 0)
      warnings.push(`${name}: source columns ${extra.join(", ")} are not in the target schema and are not copied`)
    if (missing.length > 0)
      warnings.push(`${name}: the source lacks ${missing.length} later columns; they load as NULL`)
  }
  if (!source.snapshot) {
    warnings.push("the SQLite file is not in WAL mode: tables were read page by page, not from one snapshot")
  }
  return warnings
}
