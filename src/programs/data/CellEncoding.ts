/**
 * SQLite cells as JSON, losslessly, for the export files and the rejects file. JSON numbers, strings and null
 * carry most cells unchanged; the few values JSON cannot hold get a one-key object tag:
 *   {"$bigint": "9007199254740993"}  an INTEGER beyond 2^53
 *   {"$real": "Infinity"}            a REAL JSON has no number for (±Infinity, NaN, -0)
 *   {"$blob": "<base64>"}            a BLOB
 * JSON columns are exported as the text SQLite held (a JSON string), never parsed: the import converts them with
 * the same rules as the copy.
 */
import type { SqliteCell } from "./ConversionRules.js"

/** One cell as JSON text. */
export const encodeCell = (value: SqliteCell): string => {
  if (value === null) return "null"
  switch (typeof value) {
    case "string":
      return JSON.stringify(value)
    case "number":
      if (Object.is(value, -0)) return `{"$real":"-0"}`
      return Number.isFinite(value) ? String(value) : `{"$real":"${String(value)}"}`
    case "bigint":
      return Number.isSafeInteger(Number(value)) ? value.toString() : `{"$bigint":"${value.toString()}"}`
    default:
      return `{"$blob":"${Buffer.from(value).toString("base64")}"}`
  }
}

/** A cell back from parsed JSON; `undefined` when the JSON is not something `encodeCell` writes. */
export const decodeCell = (json: unknown): SqliteCell | undefined => {
  // `null` apart: without strictNullChecks (a consumer's `strict: false`) `json === null` does not narrow `unknown`.
  if (json === null) return null
  if (typeof json === "string" || typeof json === "number") return json
  if (typeof json !== "object" || Array.isArray(json)) return undefined
  const tagged = json as Record<string, unknown>
  const keys = Object.keys(tagged)
  if (keys.length !== 1) return undefined
  const text = tagged[keys[0]!]
  if (typeof text !== "string") return undefined
  switch (keys[0]) {
    case "$bigint":
      return /^-?\d+$/.test(text) ? BigInt(text) : undefined
    case "$real":
      return text === "-0" || text === "Infinity" || text === "-Infinity" || text === "NaN" ? Number(text) : undefined
    case "$blob":
      return new Uint8Array(Buffer.from(text, "base64"))
    default:
      return undefined
  }
}

/**
 * Writes a row as a JSON array of its cells: cell `indexes[i]` of the row is element i. The export's files hold
 * one such array a line, in the order of the table's `columns` in the metadata: half the size of objects that
 * repeat every column name, and faster to parse back.
 */
export const rowEncoder =
  (indexes: ReadonlyArray<number>) =>
  (row: ReadonlyArray<SqliteCell>): string => {
    let line = "["
    for (let i = 0; i < indexes.length; i++) line += (i === 0 ? "" : ",") + encodeCell(row[indexes[i]!] ?? null)
    return line + "]"
  }
