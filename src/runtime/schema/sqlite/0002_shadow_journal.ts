/**
 * SQLite migration 2, frozen: the shadow journal lives in the primary database, so a shadow write that could
 * not be applied is recorded in the same place the write itself succeeded, exactly as durable as the data.
 */
import { fixedStatements } from "../FrozenMigration.js"

export const shadowJournal = fixedStatements([
  `CREATE TABLE IF NOT EXISTS shadow_journal (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  target TEXT NOT NULL,
  operation TEXT NOT NULL,
  aggregate_key TEXT NOT NULL,
  payload TEXT NOT NULL,
  error TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  recorded_at BIGINT NOT NULL
)`,
  "CREATE INDEX IF NOT EXISTS idx_shadow_journal_target ON shadow_journal(target, seq)"
])
