/**
 * One line of a rejects file, defined once as a Schema: loads and repair encode their rejects with it, verify and
 * repair decode them with it, so the writer and the readers cannot drift apart. A line is a JSON object: `table`,
 * `key`, `kind`, `reason`, the offending `column` and `value` when one cell is the cause, and the whole `row`,
 * every cell in the export cell encoding (so a reject loses nothing, U+0000 and integers beyond 2^53 included).
 */
import { Effect, ParseResult, Schema } from "effect"
import { TableNameSchema } from "../../runtime/domain/TableName.js"
import { decodeCell, encodeCell } from "./CellEncoding.js"
import type { SqliteCell } from "./ConversionRules.js"

const SqliteCellSchema: Schema.Schema<SqliteCell> = Schema.Union(
  Schema.Null,
  Schema.String,
  Schema.Number,
  Schema.BigIntFromSelf,
  Schema.Uint8ArrayFromSelf
)

/** A SQLite cell as parsed JSON in the export cell encoding (`{"$bigint": …}` and the like where JSON falls short). */
export const CellJson: Schema.Schema<SqliteCell, unknown> = Schema.transformOrFail(Schema.Unknown, SqliteCellSchema, {
  strict: true,
  decode: (json, _, ast) => {
    const cell = decodeCell(json)
    return cell === undefined
      ? ParseResult.fail(new ParseResult.Type(ast, json, "not a cell of the export cell encoding"))
      : ParseResult.succeed(cell)
  },
  // encodeCell is the export's hot path and writes text; a reject is rare enough to parse that text back.
  encode: (cell) => ParseResult.succeed(JSON.parse(encodeCell(cell)) as unknown)
})

/**
 * Why the row was not loaded: a value that does not fit its column, a row whose parent is missing, or the
 * database named refused it for another reason (PostgreSQL for a load; the repaired side for a repair).
 */
export const RejectKind = Schema.Literal("mismatch", "orphan", "postgres", "sqlite")
export type RejectKind = typeof RejectKind.Type

export const RejectRecord = Schema.Struct({
  table: TableNameSchema,
  /** The primary key, as text whatever its column type. */
  key: Schema.String,
  kind: RejectKind,
  reason: Schema.String,
  column: Schema.optional(Schema.String),
  value: Schema.optional(CellJson),
  row: Schema.Record({ key: Schema.String, value: CellJson })
})
export type RejectRecord = typeof RejectRecord.Type

/** A line of the file: the record as JSON text (without the newline). */
const RejectLine = Schema.parseJson(RejectRecord)

/** A line of a rejects file that is not a reject record: the file and line say where to look. */
export class MalformedReject extends Schema.TaggedError<MalformedReject>()("MalformedReject", {
  file: Schema.String,
  line: Schema.Number,
  problem: Schema.String
}) {
  override get message() {
    return `${this.file}:${this.line} is not a reject record: ${this.problem}`
  }
}

/**
 * The JSON text of one record (no newline). Throws a ParseError only when a value is not what its type says (a
 * cast cell that is no cell); both writers run it inside their write, which reports it as a write error.
 */
export const encodeRejectLine: (record: RejectRecord) => string = Schema.encodeSync(RejectLine)

// Every problem of the line, not just the first: the operator fixes the file once.
const decodeLine = Schema.decode(RejectLine, { errors: "all" })

/** Line `line` (1-based) of `file`, decoded; a line that is not a record fails with where it is and what is wrong. */
export const decodeRejectLine = (
  file: string,
  line: number,
  text: string
): Effect.Effect<RejectRecord, MalformedReject> =>
  Effect.mapError(
    decodeLine(text),
    (error) =>
      new MalformedReject({
        file,
        line,
        problem: ParseResult.ArrayFormatter.formatErrorSync(error)
          .map((issue) => (issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`))
          .join("; ")
      })
  )
