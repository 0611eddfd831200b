/**
 * Converts rows between the callers' shape and what each driver stores or returns, driven by column kinds.
 * SQLite keeps JSON as text and booleans as 0/1; node-postgres returns JSONB decoded and (with our type parsers)
 * BIGINT as numbers. JSON text that does not parse (legacy free text) decodes to that string, which is also how
 * the migration stores it in JSONB: the same value on both sides, nothing lost.
 */
import { Schema } from "effect"
import type { ParseError } from "effect/ParseResult"
import type { Effect } from "effect"
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

/** A decoder from raw driver rows to the table's row type. */
export const rowDecoder = <A, I>(columns: Columns, schema: Schema.Schema<A, I>, backend: Backend) => {
  const decode = Schema.decodeUnknown(schema)
  return (raw: DbRow): Effect.Effect<A, ParseError> => decode(normaliseRow(columns, raw, backend))
}
