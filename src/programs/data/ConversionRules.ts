/**
 * The conversion rules, in one table: for each column kind, what a SQLite cell may hold, the PostgreSQL type it
 * becomes and how. Export keeps cells exactly as SQLite stored them; import and copy both convert through
 * `convertCell`, so the two paths load identical values, and they agree with how RowCodec decodes the same cells
 * on SQLite (invalid JSON is the string itself), so verify compares equal.
 *
 * A value is never silently changed: it converts exactly, or it is a `Mismatch` and the row goes to the rejects
 * file with the column and the original value. The two documented exceptions are counted per table: U+0000 is
 * removed (PostgreSQL cannot store it in TEXT or JSONB) and invalid JSON is kept as a JSONB string.
 */
import type { ColumnKind } from "../../runtime/domain/Column.js"
import { pgColumnTypes } from "../../runtime/schema/CurrentSchema.js"
import { scanJson } from "./JsonScan.js"

/**
 * A cell as better-sqlite3 returns it with safe integers on (INTEGER storage class as bigint, REAL as number),
 * or as the export file decodes it (integers within 2^53 as numbers).
 */
export type SqliteCell = null | string | number | bigint | Uint8Array

/** What conversions did to the values of a batch: the counts the summary shows. */
export interface ConversionCounts {
  /** Values from which U+0000 was removed. */
  sanitized: number
  /** JSON cells whose text did not parse, loaded as a JSONB string holding that text. */
  invalidJson: number
}

/** A value that does not fit its column's type; `reason` names the storage class and the value. */
export class Mismatch {
  constructor(readonly reason: string) {}
}

export interface ConversionRule {
  readonly kind: ColumnKind
  /** The PostgreSQL column type. */
  readonly postgres: string
  /** What the rule does, for the documentation and `--help`. */
  readonly rule: string
  /** The PostgreSQL input text of a non-NULL cell (what COPY and a text parameter read), or why it does not fit. */
  readonly convert: (value: Exclude<SqliteCell, null>, counts: ConversionCounts) => string | Mismatch
}

/** The value as SQLite would name it: storage class and literal, for reasons and reports. */
export const describeCell = (value: SqliteCell): string => {
  if (value === null) return "NULL"
  if (typeof value === "string") return `TEXT ${JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value)}`
  if (typeof value === "bigint") return `INTEGER ${value}`
  if (Object.is(value, -0)) return "REAL -0"
  if (typeof value === "number") return Number.isInteger(value) ? `INTEGER ${value}` : `REAL ${value}`
  return `BLOB (${value.byteLength} bytes)`
}

const mismatch = (value: SqliteCell, column: string) => new Mismatch(`${describeCell(value)} in ${column} column`)

const nul = "\u0000"

/** Whether `text` holds U+0000, which PostgreSQL cannot store in TEXT or JSONB. */
export const hasNul = (text: string): boolean => text.includes(nul)

/**
 * `text` without U+0000: the one change the migration makes to text. Verify removes it the same way before
 * comparing, so the rule lives here, once.
 */
export const withoutNul = (text: string): string => (hasNul(text) ? text.replaceAll(nul, "") : text)

const stripNul = (text: string, counts: ConversionCounts): string => {
  if (!hasNul(text)) return text
  counts.sanitized++
  return withoutNul(text)
}

/** A parsed JSON value without U+0000 in any string or key; `null` prototype so a "__proto__" key stays a key. */
const stripNulDeep = (value: unknown): unknown => {
  if (typeof value === "string") return withoutNul(value)
  if (Array.isArray(value)) return value.map(stripNulDeep)
  if (value !== null && typeof value === "object") {
    const out = Object.create(null) as Record<string, unknown>
    for (const [key, item] of Object.entries(value)) out[withoutNul(key)] = stripNulDeep(item)
    return out
  }
  return value
}

/**
 * An INTEGER column of the legacy schema, NUMERIC in PostgreSQL: whatever SQLite's affinity kept there as a number.
 * An INTEGER (64-bit, exact) as is; a REAL (the bot's 24.5) as the shortest text that reads back as the same
 * double, in exponent form when it is integral, so restoreCell knows it for a REAL. TEXT left there is text that
 * is no number ('' or words): no numeric column can hold it.
 */
const numeric = (value: Exclude<SqliteCell, null>): string | Mismatch => {
  if (typeof value === "bigint") return value.toString()
  if (typeof value === "number") {
    // NUMERIC has no negative zero (SQLite's affinity never leaves one in an INTEGER column either).
    if (Object.is(value, -0)) return new Mismatch("REAL -0 in an INTEGER column: NUMERIC has no negative zero")
    if (Number.isSafeInteger(value)) return String(value)
    // ±Infinity and NaN as NUMERIC spells them; an integral REAL beyond 2^53 as 1e+19, which NUMERIC reads too.
    return Number.isInteger(value) ? value.toExponential() : String(value)
  }
  return mismatch(value, "an INTEGER")
}

/**
 * A time column, BIGINT in PostgreSQL: whole numbers only. The bot writes Math.floor(Date.now() / 1000) and
 * Date.now(); a fraction there came from another tool and is reported rather than rounded.
 */
const wholeNumber =
  (column: string) =>
  (value: Exclude<SqliteCell, null>): string | Mismatch => {
    if (typeof value === "bigint") return value.toString()
    if (typeof value === "number" && Number.isSafeInteger(value)) return String(value)
    return mismatch(value, column)
  }

const real = (value: Exclude<SqliteCell, null>): string | Mismatch => {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value)
  // REAL affinity never returns INTEGER storage, but an integer beyond 2^53 would not survive as a double.
  if (typeof value === "bigint" && Number.isSafeInteger(Number(value))) return value.toString()
  return mismatch(value, "a REAL")
}

const json = (value: Exclude<SqliteCell, null>, counts: ConversionCounts): string | Mismatch => {
  if (typeof value !== "string") return mismatch(value, "a JSON (TEXT)")
  switch (scanJson(value)) {
    case "valid":
      // The original text, so JSONB parses exactly what SQLite held (numbers keep every digit).
      return value
    case "invalid":
      // Free text where JSON was expected: kept whole, as the JSONB string the services already decode it to.
      counts.invalidJson++
      return JSON.stringify(stripNul(value, counts))
    case "validWithNul":
      // Valid JSON cannot hold a raw U+0000, only the escape, which JSONB refuses: re-serialised without it.
      counts.sanitized++
      return JSON.stringify(stripNulDeep(JSON.parse(value)))
  }
}

const text = (value: Exclude<SqliteCell, null>, counts: ConversionCounts): string | Mismatch =>
  typeof value === "string" ? stripNul(value, counts) : mismatch(value, "a TEXT")

const boolean = (value: Exclude<SqliteCell, null>): string | Mismatch => {
  if (value === 0 || value === 0n) return "f"
  if (value === 1 || value === 1n) return "t"
  return mismatch(value, "a boolean (0/1)")
}

/** The type the migrations give a kind's columns, as DDL spells it. */
const pgType = (kind: ColumnKind): string => pgColumnTypes[kind].toUpperCase()

/** Every column kind's rule. NULL is NULL in every kind; a NOT NULL target rejects it (the row goes to rejects). */
export const conversionRules: { readonly [K in ColumnKind]: ConversionRule } = {
  text: {
    kind: "text",
    postgres: pgType("text"),
    rule: "TEXT as is, U+0000 removed (counted as sanitized); any other storage class is a mismatch",
    convert: text
  },
  integer: {
    kind: "integer",
    postgres: pgType("integer"),
    rule: "INTEGER as is (64-bit, exact); REAL as is (e.g. 24.5, exact); TEXT (e.g. '') is a mismatch",
    convert: numeric
  },
  epochMillis: {
    kind: "epochMillis",
    postgres: pgType("epochMillis"),
    rule: "epoch milliseconds, as integer; REAL or TEXT is a mismatch",
    convert: wholeNumber("an epoch milliseconds (BIGINT)")
  },
  epochSeconds: {
    kind: "epochSeconds",
    postgres: pgType("epochSeconds"),
    rule: "epoch seconds, as integer; REAL or TEXT is a mismatch",
    convert: wholeNumber("an epoch seconds (BIGINT)")
  },
  real: {
    kind: "real",
    postgres: pgType("real"),
    rule: "REAL as is (shortest round-trip text, ±Infinity and -0 kept); TEXT is a mismatch",
    convert: real
  },
  json: {
    kind: "json",
    postgres: pgType("json"),
    rule: "valid JSON text parsed as JSONB; invalid JSON kept as a JSONB string of the text (counted); U+0000 removed from strings and keys (counted)",
    convert: json
  },
  boolean: {
    kind: "boolean",
    postgres: pgType("boolean"),
    rule: "INTEGER 0 → false, 1 → true; any other value is a mismatch",
    convert: boolean
  }
}

/** Converts one cell by its column's kind: `null` for NULL, the PostgreSQL input text, or a Mismatch. */
export const convertCell = (kind: ColumnKind, value: SqliteCell, counts: ConversionCounts): string | null | Mismatch =>
  value === null ? null : conversionRules[kind].convert(value, counts)

/**
 * The cell a converted value came from, for values the rules kept unchanged (every value, except where U+0000
 * was removed or invalid JSON was wrapped): lets a batch keep only its COPY text, not every source row.
 */
export const restoreCell = (kind: ColumnKind, text: string | null): SqliteCell => {
  if (text === null) return null
  switch (kind) {
    case "integer":
    case "epochMillis":
    case "epochSeconds": {
      // Digits only: an INTEGER (a number within 2^53, as the export decodes it); anything else a REAL.
      if (!/^-?\d+$/.test(text)) return Number(text)
      const n = Number(text)
      return Number.isSafeInteger(n) ? n : BigInt(text)
    }
    case "real":
      return Number(text)
    case "boolean":
      return text === "t" ? 1 : 0
    default:
      return text
  }
}
