/**
 * The canonical form of a row, so that a row read from SQLite and the same row read from PostgreSQL compare
 * equal: values are decoded by column kind (0/1 and booleans, JSON text and JSONB, numeric strings and numbers),
 * U+0000 is removed from text (PostgreSQL cannot store it and the migration strips it), and JSON objects are
 * written with sorted keys (JSONB reorders them). Each row is then hashed, so comparing never holds whole rows.
 */
import { createHash } from "node:crypto"
import { type ColumnKind, isNumericKind } from "../../runtime/domain/Column.js"
import type { Backend } from "../../runtime/domain/Errors.js"
import type { Table } from "../../runtime/domain/Tables.js"
import { type DbRow, parseJsonLenient } from "../../runtime/store/RowCodec.js"
import { withoutNul } from "../data/ConversionRules.js"

export type Canonical =
  null | boolean | number | string | ReadonlyArray<Canonical> | { readonly [key: string]: Canonical }

/** A JSON value, NUL removed from its strings and keys (JSONB rejects `\u0000`), other values kept as they are. */
const canonicalJson = (value: unknown): Canonical => {
  if (value === null || value === undefined) return null
  if (typeof value === "string") return withoutNul(value)
  if (typeof value === "number") return Object.is(value, -0) ? 0 : value
  if (typeof value === "boolean") return value
  if (Array.isArray(value)) return value.map(canonicalJson)
  if (typeof value === "object") {
    // No prototype: a "__proto__" key in the data must stay an ordinary key.
    const out = Object.create(null) as Record<string, Canonical>
    for (const [k, v] of Object.entries(value)) out[withoutNul(k)] = canonicalJson(v)
    return out
  }
  // Only a bigint (from a driver) can be left here; its decimal text is its canonical form.
  return typeof value === "bigint" ? value.toString() : (JSON.stringify(value) ?? "null")
}

/**
 * A number stored in a numeric column. node-postgres may hand BIGINT or NUMERIC back as text: that is the number.
 * Any other text (SQLite's type affinity lets '' sit in an INTEGER column) stays text, so it differs from
 * whatever PostgreSQL holds, as it should: the migration rejects such cells rather than guess a value.
 */
const canonicalNumber = (value: unknown): Canonical => {
  if (typeof value === "number") return Object.is(value, -0) ? 0 : value
  if (typeof value === "bigint") return Number(value)
  if (typeof value === "string") {
    const n = Number(value)
    return value.trim() === "" || Number.isNaN(n) ? withoutNul(value) : n
  }
  if (typeof value === "boolean") return value
  return JSON.stringify(value) ?? "null"
}

/** SQLite's 0/1 are the booleans; any other stored number stays a number (and differs), as the migration sees it. */
const canonicalBoolean = (value: unknown): Canonical => {
  if (typeof value === "boolean") return value
  const n = canonicalNumber(value)
  return n === 0 ? false : n === 1 ? true : n
}

/** One stored value in canonical form. `backend` says how the driver returned it (JSON text or decoded JSONB). */
export const canonicalValue = (kind: ColumnKind, value: unknown, backend: Backend): Canonical => {
  if (value === null || value === undefined) return null
  if (kind === "json")
    return canonicalJson(backend === "sqlite" && typeof value === "string" ? parseJsonLenient(value) : value)
  if (kind === "boolean") return canonicalBoolean(value)
  if (isNumericKind(kind)) return canonicalNumber(value)
  if (typeof value === "string") return withoutNul(value)
  if (value instanceof Uint8Array) return withoutNul(Buffer.from(value).toString("utf8"))
  // A number in a text column (SQLite's affinity allows it) compares as its text, as PostgreSQL holds it.
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value)
  return JSON.stringify(value) ?? "null"
}

/** A decoded row in canonical form: every column of the table, in registry order, absent columns as NULL. */
export const canonicalRow = (table: Table, raw: DbRow, backend: Backend): Record<string, Canonical> => {
  const out: Record<string, Canonical> = {}
  for (const [name, column] of Object.entries(table.columns))
    out[name] = canonicalValue(column.kind, raw[name], backend)
  return out
}

/**
 * A deterministic text for a canonical value: object keys sorted, and numbers that JSON cannot write (Infinity,
 * which a REAL column can hold) spelled out instead of collapsing into `null`.
 */
export const canonicalText = (value: Canonical): string => {
  if (value === null) return "null"
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : `"#${String(value)}"`
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(canonicalText).join(",")}]`
  const record = value as { readonly [key: string]: Canonical }
  const keys = Object.keys(record).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalText(record[k] ?? null)}`).join(",")}}`
}

/** The checksum of a stored row: SHA-1 of its canonical text, columns in registry order. */
export const rowChecksum = (table: Table, raw: DbRow, backend: Backend): string => {
  const row = canonicalRow(table, raw, backend)
  const text = `[${Object.keys(table.columns)
    .map((name) => canonicalText(row[name] ?? null))
    .join(",")}]`
  return createHash("sha1").update(text).digest("base64")
}

/** The columns whose canonical values differ between a SQLite row and a PostgreSQL row of the same key. */
export const differingColumns = (table: Table, sqliteRow: DbRow, postgresRow: DbRow): ReadonlyArray<string> => {
  const s = canonicalRow(table, sqliteRow, "sqlite")
  const p = canonicalRow(table, postgresRow, "postgres")
  return Object.keys(table.columns).filter((name) => canonicalText(s[name] ?? null) !== canonicalText(p[name] ?? null))
}
