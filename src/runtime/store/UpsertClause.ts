/**
 * The replica form of an insert: on a duplicate id, every other inserted column takes the incoming value, so a
 * retried or replayed insert converges on the same row instead of failing. `Store.apply` (one row) and the
 * shadow's batched inserts (many rows) must write exactly the same thing, hence one definition for both.
 */
import type { SqlClient, Statement } from "@effect/sql"

/** `ON CONFLICT (id) DO UPDATE SET` each of `columns` but `id` (`DO NOTHING` when there is no other column). */
export const upsertOnIdText = (columns: ReadonlyArray<string>): string => {
  const assignments = columns.filter((c) => c !== "id").map((c) => `"${c}" = excluded."${c}"`)
  return assignments.length === 0
    ? "ON CONFLICT (id) DO NOTHING"
    : `ON CONFLICT (id) DO UPDATE SET ${assignments.join(", ")}`
}

/** `upsertOnIdText` as a fragment of a statement. */
export const upsertOnId = (sql: SqlClient.SqlClient, columns: ReadonlyArray<string>): Statement.Fragment =>
  sql.literal(upsertOnIdText(columns))
