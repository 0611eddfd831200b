/**
 * `COPY <table> (<columns>) FROM STDIN` as multi-row INSERTs of the same COPY text, for servers that cannot take
 * COPY FROM STDIN (the embedded PGlite server: the copy kills its WASM backend; see CopyFromStdinSupport.ts).
 * PgSession.copyIn runs these instead of the COPY there, so the writer above it (staging, savepoints, row-level
 * isolation of rejects) works unchanged, only slower.
 *
 * Same meaning as the COPY:
 * - every field is sent as a text parameter of unknown type, so PostgreSQL reads it with its column's input
 *   function, exactly as COPY reads a field (`\N` is NULL);
 * - a line with the wrong number of fields fails the whole payload with COPY's own SQLSTATE (22P04), before
 *   anything is sent;
 * - all statements run in one transaction: the caller's if one is open, else one of their own.
 */
import { Data, Effect, Either } from "effect"
import { parseCopyLine } from "./CopyText.js"

/** The wire protocol counts a statement's parameters in 16 bits. */
export const maxParameters = 65_535

/** COPY text the fallback cannot turn into INSERTs; `code` is the SQLSTATE PostgreSQL reports for the same. */
export class CopyTextInvalid extends Data.TaggedError("CopyTextInvalid")<{
  readonly code: string
  readonly message: string
}> {}

export interface InsertStatement {
  readonly text: string
  readonly values: ReadonlyArray<string | null>
  readonly rows: number
}

// Only the form our writer sends: a target, a column list, no options.
const copyFromStdin = /^\s*COPY\s+(\S+)\s*\(([^)]*)\)\s+FROM\s+STDIN\s*;?\s*$/is

/** The rows of a COPY text payload: newline-terminated lines of tab-separated, backslash-escaped fields. */
export const decodeCopyText = (payload: Buffer): ReadonlyArray<ReadonlyArray<string | null>> => {
  const lines = payload.toString("utf8").split("\n")
  if (lines.at(-1) === "") lines.pop()
  return lines.map(parseCopyLine)
}

/** The INSERTs equivalent to `statement` with `payload`, each with at most `maxParameters` parameters. */
export const copyAsInserts = (
  statement: string,
  payload: Buffer
): Either.Either<ReadonlyArray<InsertStatement>, CopyTextInvalid> => {
  const match = copyFromStdin.exec(statement)
  if (match === null) {
    return Either.left(
      new CopyTextInvalid({ code: "42601", message: `not a COPY <table> (<columns>) FROM STDIN: ${statement}` })
    )
  }
  const table = match[1] ?? ""
  const columns = match[2] ?? ""
  const width = columns.split(",").length
  const rows = decodeCopyText(payload)
  const wrong = rows.findIndex((row) => row.length !== width)
  if (wrong >= 0) {
    return Either.left(
      new CopyTextInvalid({
        code: "22P04",
        message: `line ${wrong + 1} of the COPY text has ${rows[wrong]!.length} fields, expected ${width}`
      })
    )
  }
  const perStatement = Math.max(1, Math.floor(maxParameters / width))
  const statements: Array<InsertStatement> = []
  for (let from = 0; from < rows.length; from += perStatement) {
    const chunk = rows.slice(from, from + perStatement)
    const values: Array<string | null> = []
    const tuples: Array<string> = []
    for (const row of chunk) {
      const placeholders: Array<string> = []
      for (const field of row) {
        values.push(field)
        placeholders.push(`$${values.length}`)
      }
      tuples.push(`(${placeholders.join(", ")})`)
    }
    statements.push({
      text: `INSERT INTO ${table} (${columns}) VALUES ${tuples.join(", ")}`,
      values,
      rows: chunk.length
    })
  }
  return Either.right(statements)
}

/**
 * Runs the statements as one unit: inside the caller's transaction when `inTransaction` (a failure aborts it, as
 * a failed COPY would, for the caller to roll back), else in a transaction of their own, rolled back on failure.
 * The number of rows inserted.
 */
export const insertAtomically = <E>(
  statements: ReadonlyArray<InsertStatement>,
  query: (text: string, values?: ReadonlyArray<unknown>) => Effect.Effect<{ readonly rowCount: number | null }, E>,
  inTransaction: boolean
): Effect.Effect<number, E> => {
  if (statements.length === 0) return Effect.succeed(0)
  const inserts = Effect.reduce(statements, 0, (inserted, statement) =>
    Effect.map(query(statement.text, statement.values), (result) => inserted + (result.rowCount ?? 0))
  )
  if (inTransaction) return inserts
  return Effect.acquireUseRelease(
    query("BEGIN"),
    () => Effect.tap(inserts, () => query("COMMIT")),
    // A rollback that fails too (connection lost) adds nothing to the first error, which is the one reported.
    (_, exit) => (exit._tag === "Success" ? Effect.void : Effect.ignore(query("ROLLBACK")))
  )
}
