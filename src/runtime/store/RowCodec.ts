/**
 * Converts rows between the callers' shape and what each driver stores or returns, driven by column kinds.
 * SQLite keeps JSON as text and booleans as 0/1; node-postgres returns JSONB decoded and (with our type parsers)
 * BIGINT as numbers. JSON text that does not parse (legacy free text) decodes to that string, which is also how
 * the migration stores it in JSONB: the same value on both sides, nothing lost.
 */
import { Either, Schema } from "effect"
import type { ParseError } from "effect/ParseResult"
import { type Columns, isNumericKind } from "../domain/Column.js"
import type { Backend } from "../domain/Errors.js"

export type DbRow = Record<string, unknown>

/** Parses JSON text, keeping text that is not JSON as the string itself. */
export const parseJsonLenient = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** One value as the driver of `backend` should receive it. */
export const encodeValue = (kind: string, value: unknown, backend: Backend): unknown => {
  if (value === null || value === undefined) return null
  switch (kind) {
    case "json":
      return JSON.stringify(value)
    case "boolean":
      return backend === "sqlite" ? (value ? 1 : 0) : Boolean(value)
    default:
      return value
  }
}

/** The columns present in `row`, encoded for `backend`. Unknown keys are dropped (they were validated earlier). */
export const encodeRow = (columns: Columns, row: Readonly<Record<string, unknown>>, backend: Backend): DbRow => {
  const out: DbRow = {}
  for (const name in row) {
    const column = columns[name]
    if (column === undefined) continue
    const value = row[name]
    if (value === undefined) continue
    out[name] = encodeValue(column.kind, value, backend)
  }
  return out
}

/** A raw driver row normalised towards the callers' shape (before Schema decoding checks it). */
export const normaliseRow = (columns: Columns, raw: DbRow, backend: Backend): DbRow => {
  const out: DbRow = {}
  for (const name in columns) {
    const column = columns[name]!
    let value = raw[name]
    if (value === undefined) value = null
    if (value !== null) {
      if (column.kind === "json" && backend === "sqlite" && typeof value === "string") {
        value = parseJsonLenient(value)
      } else if (column.kind === "boolean" && typeof value !== "boolean") {
        value = Number(value) !== 0
      } else if (typeof value === "bigint" || (typeof value === "string" && isNumericKind(column.kind))) {
        // BIGINT and NUMERIC arrive as strings when a pool lacks our type parsers; callers never see that.
        const n = Number(value)
        value = value === "" || Number.isNaN(n) ? value : n
      }
    }
    out[name] = value
  }
  return out
}

/**
 * Whether `value` is a JSON value as the row Schema's `JsonValue` defines it: null, a boolean, a number, a string,
 * an array or a plain object of them. What the drivers hand back (JSON.parse of the stored text, or the text itself
 * when it is not JSON) always is; the walk is there for a value that came some other way.
 */
const isJsonValue = (value: unknown): boolean => {
  if (value === null) return true
  switch (typeof value) {
    case "boolean":
    case "number":
    case "string":
      return true
    case "object": {
      if (Array.isArray(value)) return value.every(isJsonValue)
      const proto = Object.getPrototypeOf(value) as unknown
      if (proto !== Object.prototype && proto !== null) return false
      for (const key in value) if (!isJsonValue((value as Record<string, unknown>)[key])) return false
      return true
    }
    default:
      return false
  }
}

/** The check of one column kind's Schema (Column.ts `kindSchemas`), done directly. */
const fitsKind = (kind: string, value: unknown): boolean => {
  switch (kind) {
    case "text":
      return typeof value === "string"
    case "boolean":
      return typeof value === "boolean"
    case "json":
      return isJsonValue(value)
    default:
      return typeof value === "number"
  }
}

/**
 * A decoder from raw driver rows to the table's row type, for a row Schema derived from `columns` (`rowSchema`, as
 * every table's is). The Schema's checks are per column kind and transform nothing, so a normalised row whose every
 * column passes its kind's check (`fitsKind`) is already the decoded row: that is every row read from the bot's own
 * tables, at a tenth of the cost of the Schema's generic walk (10 µs a message row), which showed in every timeline
 * read. A row that fails a check goes through the Schema, which decides and names the issue.
 */
export const rowDecoder = <A, I>(columns: Columns, schema: Schema.Schema<A, I>, backend: Backend) => {
  const decode = Schema.decodeUnknownEither(schema)
  const checks = Object.entries(columns).map(([name, column]) => [name, column.kind, column.nullable] as const)
  return (raw: DbRow): Either.Either<A, ParseError> => {
    const row = normaliseRow(columns, raw, backend)
    for (const [name, kind, nullable] of checks) {
      const value = row[name]
      if (value === null ? !nullable : !fitsKind(kind, value)) return decode(row)
    }
    // Every column passed the very check the Schema makes of it.
    return Either.right(row as A)
  }
}
