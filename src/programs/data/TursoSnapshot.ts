/**
 * A libSQL (Turso) database as the source of an export or a copy. The readers page synchronously with
 * better-sqlite3, which cannot reach libSQL over the network, so the remote database is first copied into a
 * temporary local SQLite file, and the unchanged file-based source reads that file. The copy pages every table by
 * rowid inside one read transaction, so all tables come from one consistent snapshot and memory holds one page at
 * a time. The file lives in a temporary directory owned by the scope and is deleted when the scope closes.
 */
import type { Client, InValue, Row, Transaction } from "@libsql/client"
import Database from "better-sqlite3"
import { Effect, Layer, Redacted, type Scope } from "effect"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { displayUrl, type SqliteLocation, type TursoDatabase } from "../../runtime/config/SqliteLocation.js"
import { causeMessage, SourceError } from "./DataErrors.js"
import * as SqliteSource from "./SqliteSource.js"

/** Rows fetched per request: large enough to keep round trips few, small enough to bound memory. */
export const defaultPageRows = 5000

export interface SnapshotSettings {
  readonly pageRows?: number | undefined
  /** Where the temporary directory is made (default: the OS temp directory); tests look there afterwards. */
  readonly tempRoot?: string | undefined
}

interface MasterEntry {
  readonly type: string
  readonly name: string
  readonly tbl_name: string
  readonly sql: string | null
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`

/** Loaded on first use, as the runtime's connection does: the native engine costs every other command nothing. */
const createClient = (url: string, authToken: string): Client =>
  (createRequire(import.meta.url)("@libsql/client") as typeof import("@libsql/client")).createClient({
    url,
    authToken,
    // 64-bit integers (snowflakes, epoch milliseconds) stay exact.
    intMode: "bigint"
  })

/** A libSQL cell as better-sqlite3 binds it: blobs arrive as ArrayBuffer. */
const toCell = (value: Row[number] | undefined): InValue | Buffer =>
  value instanceof ArrayBuffer ? Buffer.from(value) : (value ?? null)

/** A text cell (names, DDL); the schema queries return nothing else where this is used. */
const text = (value: Row[number] | undefined): string =>
  typeof value === "string" ? value : typeof value === "number" || typeof value === "bigint" ? value.toString() : ""

/** The entries to recreate: ordinary tables and their explicit indexes. */
const selectEntries = (entries: ReadonlyArray<MasterEntry>) => {
  // FTS5 virtual tables and their shadow tables are not read by the copy or the export (they read the six
  // tables by rowid), and triggers would only fire on the snapshot's own inserts: none are recreated.
  const virtual = entries
    .filter((e) => e.type === "table" && /^\s*CREATE\s+VIRTUAL\s+TABLE/i.test(e.sql ?? ""))
    .map((e) => e.name)
  const isShadow = (name: string) => virtual.some((v) => name.startsWith(`${v}_`))
  const tables = entries.filter(
    (e) =>
      e.type === "table" &&
      e.sql !== null &&
      !e.name.startsWith("sqlite_") &&
      !virtual.includes(e.name) &&
      !isShadow(e.name)
  )
  const kept = new Set(tables.map((t) => t.name))
  // Indexes SQLite makes itself (UNIQUE, PRIMARY KEY) have no DDL; they come back with their tables.
  const indexes = entries.filter((e) => e.type === "index" && e.sql !== null && kept.has(e.tbl_name))
  return { tables, indexes }
}

const copyTable = (
  tx: Transaction,
  target: Database.Database,
  table: MasterEntry,
  pageRows: number,
  fail: (what: string) => (cause: unknown) => SourceError
) =>
  Effect.gen(function* () {
    const info = yield* Effect.tryPromise({
      try: () => tx.execute({ sql: "SELECT name FROM pragma_table_info(?)", args: [table.name] }),
      catch: fail(`cannot read the columns of ${table.name}`)
    })
    const columns = info.rows.map((r) => text(r[0]))
    const withoutRowid = /\)\s*WITHOUT\s+ROWID\s*;?\s*$/i.test(table.sql ?? "")
    const columnList = columns.map(quote).join(", ")
    // The rowid is kept, so the snapshot pages and splits into ranges exactly as the remote table would.
    const insert = target.prepare(
      withoutRowid
        ? `INSERT INTO ${quote(table.name)} (${columnList}) VALUES (${columns.map(() => "?").join(", ")})`
        : `INSERT INTO ${quote(table.name)} (rowid, ${columnList}) VALUES (?, ${columns.map(() => "?").join(", ")})`
    )
    const writePage = target.transaction((rows: ReadonlyArray<Row>) => {
      for (const row of rows) insert.run(...Array.from({ length: row.length }, (_, i) => toCell(row[i])))
    })
    let after: bigint | null = null
    let offset = 0
    let copied = 0
    for (;;) {
      const page = yield* Effect.tryPromise({
        try: () =>
          withoutRowid
            ? // No rowid to page by: one read transaction keeps OFFSET paging consistent.
              tx.execute({
                sql: `SELECT ${columnList} FROM ${quote(table.name)} LIMIT ? OFFSET ?`,
                args: [pageRows, offset]
              })
            : tx.execute({
                sql:
                  `SELECT rowid, ${columnList} FROM ${quote(table.name)} ` +
                  `${after === null ? "" : "WHERE rowid > ? "}ORDER BY rowid LIMIT ?`,
                args: after === null ? [pageRows] : [after, pageRows]
              }),
        catch: fail(`cannot read ${table.name}`)
      })
      yield* Effect.try({ try: () => writePage(page.rows), catch: fail(`cannot write the snapshot of ${table.name}`) })
      copied += page.rows.length
      offset += page.rows.length
      const last = page.rows[page.rows.length - 1]
      if (last === undefined || page.rows.length < pageRows) break
      after = BigInt(last[0] as bigint | number)
      if ((copied / pageRows) % 20 === 0) yield* Effect.logInfo(`Turso snapshot: ${table.name}, ${copied} rows so far`)
    }
    yield* Effect.logInfo(`Turso snapshot: ${table.name}, ${copied} rows`)
    return copied
  })

/**
 * Copies the libSQL database into `<temp dir>/snapshot.db` and returns the file's path; the directory is deleted
 * when the scope closes (after everything opened on the file later in the scope has been closed).
 */
export const snapshot = (
  database: TursoDatabase,
  settings: SnapshotSettings = {}
): Effect.Effect<string, SourceError, Scope.Scope> =>
  Effect.gen(function* () {
    const where = displayUrl(database.url)
    const fail = (what: string) => (cause: unknown) =>
      new SourceError({ path: where, message: `${what} in ${where} (Turso): ${causeMessage(cause)}`, cause })
    const pageRows = Math.max(1, Math.floor(settings.pageRows ?? defaultPageRows))

    const dir = yield* Effect.acquireRelease(
      Effect.try({
        try: () => fs.mkdtempSync(join(settings.tempRoot ?? tmpdir(), "omega-turso-snapshot-")),
        catch: (cause) =>
          new SourceError({
            path: where,
            message: `cannot make a temporary directory for the snapshot of ${where}: ${causeMessage(cause)}`,
            cause
          })
      }),
      (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
    )
    const path = join(dir, "snapshot.db")

    const client = yield* Effect.acquireRelease(
      Effect.try({
        try: () => createClient(Redacted.value(database.url), Redacted.value(database.authToken)),
        catch: fail("cannot open the database")
      }),
      (client) => Effect.sync(() => client.close())
    )
    const tx = yield* Effect.acquireRelease(
      Effect.tryPromise({ try: () => client.transaction("read"), catch: fail("cannot start a read transaction") }),
      (tx) => Effect.sync(() => tx.close())
    )

    const master = yield* Effect.tryPromise({
      try: () => tx.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid"),
      catch: fail("cannot read the schema")
    })
    const entries = master.rows.map((r): MasterEntry => ({
      type: text(r[0]),
      name: text(r[1]),
      tbl_name: text(r[2]),
      sql: r[3] === null ? null : text(r[3])
    }))
    const { indexes, tables } = selectEntries(entries)
    yield* Effect.logInfo(`Turso snapshot: copying ${tables.length} tables of ${where} into ${path}`)

    const started = performance.now()
    yield* Effect.acquireUseRelease(
      Effect.try({
        try: () => {
          const db = new Database(path)
          // Nothing else opens the file while it is written, and a crash leaves only a temp file to delete.
          db.pragma("journal_mode = OFF")
          db.pragma("synchronous = OFF")
          for (const table of tables) db.exec(table.sql!)
          return db
        },
        catch: fail("cannot create the snapshot file")
      }),
      (db) =>
        Effect.gen(function* () {
          let rows = 0
          for (const table of tables) rows += yield* copyTable(tx, db, table, pageRows, fail)
          // Built after the rows, which is faster than maintaining them row by row.
          yield* Effect.try({
            try: () => {
              for (const index of indexes) db.exec(index.sql!)
            },
            catch: fail("cannot create the snapshot's indexes")
          })
          yield* Effect.logInfo(
            `Turso snapshot: ${rows} rows of ${tables.length} tables in ${Math.round(performance.now() - started)} ms`
          )
        }),
      (db) => Effect.sync(() => db.close())
    )
    return path
  }).pipe(Effect.withLogSpan("turso-snapshot"))

/**
 * The source for export and copy: the file itself, or a snapshot of the libSQL database read as a file. The
 * snapshot's summary names the Turso URL, not the temporary file, and it is one consistent snapshot whatever the
 * temporary file's journal mode.
 */
export const sourceLayer = (
  options: { readonly filename: string; readonly location?: SqliteLocation | undefined },
  settings: SnapshotSettings = {}
): Layer.Layer<SqliteSource.SqliteSource, SourceError> => {
  const location = options.location
  if (location?._tag !== "Turso") return SqliteSource.layer(options.filename)
  return Layer.scoped(
    SqliteSource.SqliteSource,
    Effect.gen(function* () {
      const path = yield* snapshot(location, settings)
      const where = displayUrl(location.url)
      // The operator knows the Turso URL, not the temporary file: errors about the file name the URL.
      const source = yield* SqliteSource.make(path).pipe(
        Effect.mapError(
          (error) => new SourceError({ path: where, message: error.message.replaceAll(path, where), cause: error })
        )
      )
      return { ...source, path: where, snapshot: true }
    })
  )
}
