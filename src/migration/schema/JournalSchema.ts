/**
 * The shadow journal lives in the primary database: a shadow write that could not be applied is recorded in
 * the same place the write itself succeeded, so it is exactly as durable as the data.
 */
import type { Backend } from "../../domain/Errors.js"

export const journalTableSql = (backend: Backend): ReadonlyArray<string> => [
  `CREATE TABLE IF NOT EXISTS shadow_journal (
  seq ${backend === "postgres" ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"},
  target TEXT NOT NULL,
  operation TEXT NOT NULL,
  aggregate_key TEXT NOT NULL,
  payload TEXT NOT NULL,
  error TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  recorded_at BIGINT NOT NULL
)`,
  `CREATE INDEX IF NOT EXISTS idx_shadow_journal_target ON shadow_journal(target, seq)`
]
