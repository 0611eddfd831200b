/**
 * PostgreSQL COPY text format, encoded by hand: tab-separated fields, `\N` for NULL, backslash escapes for the
 * four characters that would break a field. Cheaper than CSV quoting, and the fields are the same input text the
 * conversion rules produce, so COPY reads exactly what a text parameter would.
 */

const special = /[\\\n\r\t]/
const specialAll = /[\\\n\r\t]/g
const escapes: Readonly<Record<string, string>> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" }

/** One field: NULL or the value's input text, escaped. */
export const copyField = (value: string | null): string =>
  value === null ? "\\N" : special.test(value) ? value.replace(specialAll, (c) => escapes[c]!) : value

/** One row, newline-terminated. */
export const copyLine = (fields: ReadonlyArray<string | null>): string => {
  let line = copyField(fields[0] ?? null)
  for (let i = 1; i < fields.length; i++) line += "\t" + copyField(fields[i] ?? null)
  return line + "\n"
}

/** The column list of a COPY or INSERT, quoted (some names, such as `timestamp`, are keywords). */
export const columnList = (columns: ReadonlyArray<string>): string => columns.map((c) => `"${c}"`).join(", ")

const unescapes: Readonly<Record<string, string>> = { "\\": "\\", n: "\n", r: "\r", t: "\t" }

/** The fields of one COPY text line (without its newline), unescaped; the inverse of `copyLine`. */
export const parseCopyLine = (line: string): Array<string | null> =>
  line
    .split("\t")
    .map((field) => (field === "\\N" ? null : field.replace(/\\(.)/g, (_, c: string) => unescapes[c] ?? c)))
