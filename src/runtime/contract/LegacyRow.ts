/**
 * Rows in the shapes the original package returned (SQLite's, contract §3): every column key present, `null` for an
 * empty column, JSON columns as JSON text, `is_public` as 0/1, numbers as numbers. The Effect services keep their
 * decoded shape; the bot's functions map each row through here, so both backends answer with identical text.
 */
import type { Columns } from "../domain/Column.js"
import { jsonText } from "./JsonText.js"

/** The legacy shape of a row of a table with `columns`: a JSON column as text, a boolean as 0/1. */
export type LegacyRowOf<C extends Columns> = {
  -readonly [K in keyof C]: C[K]["kind"] extends "json"
    ? string | null
    : C[K]["kind"] extends "boolean"
      ? number | null
      : C[K]["kind"] extends "text"
        ? C[K]["nullable"] extends true
          ? string | null
          : string
        : C[K]["nullable"] extends true
          ? number | null
          : number
}

/**
 * Maps a decoded row to its legacy shape. JSON is re-serialised from the decoded value, keys in JSONB's order, so
 * the text is the same whichever database stored it (JSONB keeps neither the original spacing nor key order).
 */
export const toLegacyRow =
  <C extends Columns>(columns: C) =>
  (row: { readonly [K in keyof C]?: unknown }): LegacyRowOf<C> => {
    const out: Record<string, unknown> = {}
    for (const name of Object.keys(columns)) {
      const value = (row as Record<string, unknown>)[name]
      const kind = columns[name]!.kind
      out[name] =
        value === undefined || value === null
          ? null
          : kind === "json"
            ? jsonText(value)
            : kind === "boolean"
              ? value
                ? 1
                : 0
              : value
    }
    return out as LegacyRowOf<C>
  }
