/**
 * SQLite migration 3, frozen: replay and listing page through one target's entries in (recorded_at, seq)
 * order; an index in exactly that order serves each page as a range scan instead of sorting the target's whole
 * backlog. Its prefix still serves counting by target, so the first index goes.
 */
import { fixedStatements } from "../FrozenMigration.js"

export const shadowJournalReplayOrder = fixedStatements([
  "CREATE INDEX IF NOT EXISTS idx_shadow_journal_replay ON shadow_journal(target, recorded_at, seq)",
  "DROP INDEX IF EXISTS idx_shadow_journal_target"
])
