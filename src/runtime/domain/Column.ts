/**
 * Column kinds: the single vocabulary that the models, the DDL of both dialects, the row codecs and the
 * migration's conversion rules are all derived from. A table is a record of columns; its Schema is derived
 * from that record, so a column exists in exactly one place.
 */
import { ParseResult, Schema } from "effect"
import { JsonValue } from "./JsonValue.js"

export type ColumnKind =
  /** TEXT in both dialects. */
  | "text"
  /**
   * INTEGER in SQLite, NUMERIC in PostgreSQL (migration 4; BIGINT before): a number as SQLite's INTEGER affinity
   * keeps it, a 64-bit integer or a fractional value such as the `affinity_score` 72.5 the bot writes. Callers
   * always see a number.
   */
  | "integer"
  /** Epoch milliseconds (`Date.now()`): only messages.timestamp and queries.timestamp. BIGINT in PostgreSQL. */
  | "epochMillis"
  /** Epoch seconds: every other time column. BIGINT in PostgreSQL. */
  | "epochSeconds"
  /** REAL in SQLite, DOUBLE PRECISION in PostgreSQL. */
  | "real"
  /** JSON text in SQLite, JSONB in PostgreSQL; callers see the decoded value. */
  | "json"
  /** INTEGER 0/1 in SQLite, BOOLEAN in PostgreSQL. */
  | "boolean"

/** The kinds callers see as a number: a driver may still return them as a bigint or as numeric text. */
export const isNumericKind = (kind: ColumnKind): boolean =>
  kind === "integer" || kind === "real" || kind === "epochMillis" || kind === "epochSeconds"

const kindSchemas = {
  text: Schema.String,
  integer: Schema.Number,
  epochMillis: Schema.Number.annotations({ description: "epoch milliseconds" }),
  epochSeconds: Schema.Number.annotations({ description: "epoch seconds" }),
  real: Schema.Number,
  json: JsonValue,
  boolean: Schema.Boolean
} as const

type KindSchemas = typeof kindSchemas

export interface Column<K extends ColumnKind, Nullable extends boolean> {
  readonly kind: K
  readonly nullable: Nullable
  /** Present when the column may be absent in an older legacy database (added later with ALTER TABLE). */
  readonly late: boolean
  readonly schema: Nullable extends true ? Schema.NullOr<KindSchemas[K]> : KindSchemas[K]
}

export type AnyColumn = Column<ColumnKind, boolean>

const make = <K extends ColumnKind, N extends boolean>(kind: K, nullable: N, late = false): Column<K, N> =>
  ({
    kind,
    nullable,
    late,
    schema: nullable ? Schema.NullOr(kindSchemas[kind]) : kindSchemas[kind]
  }) as Column<K, N>

/** A NOT NULL column. */
export const required = <K extends ColumnKind>(kind: K): Column<K, false> => make(kind, false)
/** A column that may hold NULL. */
export const nullable = <K extends ColumnKind>(kind: K): Column<K, true> => make(kind, true)
/** A nullable column that older legacy databases lack (added later with ALTER TABLE ADD COLUMN). */
export const late = <K extends ColumnKind>(kind: K): Column<K, true> => make(kind, true, true)

export type Columns = Readonly<Record<string, AnyColumn>>

/** The decoded row Schema of a table, derived from its columns. */
export const rowSchema = <C extends Columns>(columns: C): Schema.Struct<{ [K in keyof C]: C[K]["schema"] }> =>
  Schema.Struct(
    Object.fromEntries(Object.entries(columns).map(([name, c]) => [name, c.schema])) as {
      [K in keyof C]: C[K]["schema"]
    }
  )

/**
 * Text that SQLite's type affinity stores as a number when it is written to a numeric column: optional ASCII white
 * space, a sign, digits with an optional point (or a point and digits), an optional exponent, white space. Hex,
 * 'Infinity', '1_000', '' or a non-breaking space stay text (checked against SQLite 3.53 by fuzzing).
 */
const sqliteNumericText = /^[\t\n\v\f\r ]*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[\t\n\v\f\r ]*$/
const integerText = /^[\t\n\v\f\r ]*[+-]?\d+[\t\n\v\f\r ]*$/
const int64Min = -(2n ** 63n)
const int64Max = 2n ** 63n - 1n

/** The number a written value becomes, or why it is refused. */
type NumberOnWrite = { readonly number: number } | { readonly refused: string }

/**
 * The number SQLite's affinity makes of `text` ('80' → 80, ' 80 ' → 80, '8e1' → 80, '72.5' → 72.5), or why there
 * is none a JS number holds exactly.
 */
export const numberFromText = (text: string): NumberOnWrite => {
  // SQLite reads the text up to its first U+0000 ('80\u0000x' is stored as 80).
  const head = text.split("\u0000", 1)[0] ?? ""
  if (!sqliteNumericText.test(head)) return { refused: `${JSON.stringify(text)} is not a number` }
  // Number() skips the same white space (any other white space has already failed the pattern above).
  const number = Number(head)
  if (integerText.test(head)) {
    // SQLite keeps an integer literal exactly up to 64 bits, a JS number only up to 2^53 (beyond 64 bits SQLite
    // makes it a REAL, as Number() does).
    const exact = BigInt(head.trim())
    if (exact >= int64Min && exact <= int64Max && BigInt(number) !== exact) {
      return { refused: `${JSON.stringify(text)} is beyond 2^53: a JS number cannot hold it exactly` }
    }
  }
  // '-0' is stored as 0.
  return { number: number === 0 ? 0 : number }
}

type NumericKind = "integer" | "real" | "epochMillis" | "epochSeconds"

const sqlType: Readonly<Record<NumericKind, string>> = {
  integer: "INTEGER",
  real: "REAL",
  epochMillis: "epoch milliseconds",
  epochSeconds: "epoch seconds"
}

/**
 * A written number checked against its column's kind (`shown` is the value as the caller gave it): what both
 * backends store and read back unchanged.
 */
const checkNumber = (kind: NumericKind, number: number, shown: string): NumberOnWrite => {
  // SQLite stores NaN as NULL and the bot's libSQL driver refused NaN and ±Infinity as parameters: no caller
  // ever wrote one, and neither is a score anyone can read back.
  if (!Number.isFinite(number)) return { refused: `${shown} is not a finite number` }
  // PostgreSQL keeps time columns as BIGINT (see CurrentSchema.pgColumnTypes): a fraction cannot be stored there,
  // so it is refused on SQLite too, which would keep it, and the two backends stay equal.
  if ((kind === "epochMillis" || kind === "epochSeconds") && !Number.isSafeInteger(number)) {
    return { refused: `${shown} is not a whole number of ${kind === "epochMillis" ? "milliseconds" : "seconds"}` }
  }
  // SQLite stores -0 as 0 (and '-0' too); PostgreSQL's DOUBLE PRECISION would keep the sign. Both get 0.
  return { number: number === 0 ? 0 : number }
}

/**
 * What a numeric column takes on write: a finite number, or text SQLite's affinity reads as one, converted here so
 * that both backends are sent the same number. Fractions are welcome in INTEGER columns (the bot writes
 * `affinity_score: 72.5`; SQLite keeps it, PostgreSQL's NUMERIC too), not in time columns. Text that is not a
 * number SQLite would store as text; PostgreSQL cannot, so it is refused on both alike.
 */
const numberOnWrite = (kind: NumericKind): Schema.Schema<number, number | string> =>
  Schema.transformOrFail(Schema.Union(Schema.Number, Schema.String), Schema.Number, {
    strict: true,
    decode: (input, _, ast) => {
      const parsed = typeof input === "number" ? { number: input } : numberFromText(input)
      const shown = typeof input === "number" ? String(input) : JSON.stringify(input)
      const checked = "number" in parsed ? checkNumber(kind, parsed.number, shown) : parsed
      return "number" in checked
        ? ParseResult.succeed(checked.number)
        : ParseResult.fail(new ParseResult.Type(ast, input, `${checked.refused} (${sqlType[kind]} column)`))
    },
    encode: ParseResult.succeed
  })

const writeKindSchemas: Record<ColumnKind, Schema.Schema.AnyNoContext> = {
  text: Schema.String,
  integer: numberOnWrite("integer"),
  epochMillis: numberOnWrite("epochMillis"),
  epochSeconds: numberOnWrite("epochSeconds"),
  real: numberOnWrite("real"),
  json: JsonValue,
  boolean: Schema.Boolean
}

/**
 * The Schema a written value must satisfy, the same on both backends: what SQLite would store and PostgreSQL can
 * hold too, decoded to the value both are sent (numeric text becomes its number). Reads stay more tolerant
 * (RowCodec): a legacy row may hold text in a numeric column, new writes cannot put it there.
 */
export const writeSchemaOf = (column: AnyColumn): Schema.Schema.AnyNoContext =>
  column.nullable ? Schema.NullOr(writeKindSchemas[column.kind]) : writeKindSchemas[column.kind]
