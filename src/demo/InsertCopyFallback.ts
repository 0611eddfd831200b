/**
 * COPY ... FROM STDIN as multi-row INSERTs, for a server that cannot take COPY FROM STDIN (the embedded PGlite
 * server dies on it). The copy engine (src/migration/data) streams every batch with COPY and does not yet fall
 * back by itself, so the demo hands it a pool whose connections run each `COPY ... FROM STDIN` as INSERTs of
 * the same COPY text: same conversion, same rejects, same staging and the same counts, only slower.
 *
 * `insertCopyText` is the whole fallback; the pool wrapper only routes to it. Once PgSession.copyIn falls back
 * on its own (when `supportsCopyFromStdin` is false), this module can go.
 */
import { Effect, Layer } from "effect"
import type Pg from "pg"
import { Writable } from "node:stream"
import { PostgresDatabase } from "../layers/PostgresDatabase.js"
import { parseCopyLine } from "../migration/data/CopyText.js"

/** PostgreSQL accepts at most 65,535 parameters in one statement. */
const maxParameters = 65_000

/** The rows of a COPY text payload (newline-terminated lines of tab-separated fields). */
export const decodeCopyText = (payload: Buffer): ReadonlyArray<ReadonlyArray<string | null>> => {
  const text = payload.toString("utf8")
  const lines = text.split("\n")
  if (lines.at(-1) === "") lines.pop()
  return lines.map(parseCopyLine)
}

const copyStatement = /^\s*COPY\s+(.+?)\s*\(([^)]*)\)\s+FROM\s+STDIN\s*$/is

/**
 * Runs `COPY <table> (<columns>) FROM STDIN` with `payload` as INSERTs on `client`, atomically like the COPY
 * (inside the caller's transaction, or in one of its own); the number of rows inserted. Parameters arrive as
 * text of unknown type, so PostgreSQL reads each with its column's input function, exactly as COPY would.
 */
export const insertCopyText = async (client: Pg.ClientBase, statement: string, payload: Buffer): Promise<number> => {
  const match = copyStatement.exec(statement)
  if (match === null) throw new Error(`not a COPY ... FROM STDIN statement: ${statement}`)
  const table = match[1]!
  const columns = match[2]!
  const width = columns.split(",").length
  const rows = decodeCopyText(payload)
  const perStatement = Math.max(1, Math.floor(maxParameters / width))
  const own = client.getTransactionStatus() === "I"
  if (own) await client.query("BEGIN")
  try {
    let inserted = 0
    for (let from = 0; from < rows.length; from += perStatement) {
      const chunk = rows.slice(from, from + perStatement)
      const values: Array<string | null> = []
      const tuples = chunk.map((row) => {
        if (row.length !== width) throw new Error(`a COPY line has ${row.length} fields, expected ${width}`)
        const start = values.length
        values.push(...row)
        return `(${row.map((_, i) => `$${start + i + 1}`).join(", ")})`
      })
      const result = await client.query(`INSERT INTO ${table} (${columns}) VALUES ${tuples.join(", ")}`, values)
      inserted += result.rowCount ?? 0
    }
    if (own) await client.query("COMMIT")
    return inserted
  } catch (error) {
    if (own) await client.query("ROLLBACK").catch(() => {})
    throw error
  }
}

/** What PgSession hands to `client.query` for a COPY FROM STDIN (a pg-copy-streams CopyStreamQuery). */
const isCopyFromStdin = (query: unknown): query is { readonly text: string } =>
  typeof query === "object" &&
  query !== null &&
  "submit" in query &&
  "text" in query &&
  typeof query.text === "string" &&
  /\bFROM\s+STDIN\b/i.test(query.text)

/** A writable stream like pg-copy-streams' own: collects the COPY text, inserts it on end, then finishes. */
class InsertedCopy extends Writable {
  rowCount = 0
  private readonly chunks: Array<Buffer> = []
  constructor(
    private readonly client: Pg.ClientBase,
    private readonly statement: string
  ) {
    super()
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void) {
    // Copied: the engine reuses a batch's buffer once the batch is written.
    this.chunks.push(Buffer.from(chunk))
    callback()
  }
  override _final(callback: (error?: Error | null) => void) {
    insertCopyText(this.client, this.statement, Buffer.concat(this.chunks)).then(
      (rows) => {
        this.rowCount = rows
        callback()
      },
      (error: Error) => callback(error)
    )
  }
}

const withInsertCopy = (client: Pg.PoolClient): Pg.PoolClient =>
  new Proxy(client, {
    get(target, property) {
      if (property === "query") {
        return (query: unknown, ...rest: Array<unknown>) =>
          isCopyFromStdin(query)
            ? new InsertedCopy(target, query.text)
            : (target.query as (...args: Array<unknown>) => unknown)(query, ...rest)
      }
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === "function" ? value.bind(target) : value
    }
  })

/** The pool, its connections running COPY FROM STDIN as INSERTs. */
export const insertCopyPool = (pool: Pg.Pool): Pg.Pool =>
  new Proxy(pool, {
    get(target, property) {
      if (property === "connect") {
        return () => target.connect().then(withInsertCopy)
      }
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === "function" ? value.bind(target) : value
    }
  })

/** The PostgresDatabase of the context with that pool: provide it to a load on a server without COPY FROM STDIN. */
export const insertCopyDatabase: Layer.Layer<PostgresDatabase, never, PostgresDatabase> = Layer.effect(
  PostgresDatabase,
  Effect.map(PostgresDatabase, (db) => ({ ...db, pool: insertCopyPool(db.pool) }))
)
