/**
 * The SQLite schema migrations, in order. Each is frozen text in sqlite/ (see FrozenMigration.ts): an applied
 * migration never changes, so a later schema change is a new migration appended here. Migration 1 upgrades the
 * legacy files found in the field (they have no version table) in place; the Migrator records what ran.
 */
import type { FrozenMigration } from "./FrozenMigration.js"
import { sqliteFtsTriggers } from "./CurrentSchema.js"
import { legacyBaseline } from "./sqlite/0001_legacy_baseline.js"
import { shadowJournal } from "./sqlite/0002_shadow_journal.js"
import { shadowJournalReplayOrder } from "./sqlite/0003_shadow_journal_replay_order.js"
import { searchTokenizer } from "./sqlite/0004_search_tokenizer.js"
import { shadowOutbox } from "./sqlite/0005_shadow_outbox.js"
import { readIndexes } from "./sqlite/0006_read_indexes.js"
import { rowTallies } from "./sqlite/0007_row_tallies.js"

export const sqliteMigrations: Readonly<Record<string, FrozenMigration>> = {
  "1_legacy_baseline": legacyBaseline,
  "2_shadow_journal": shadowJournal,
  "3_shadow_journal_replay_order": shadowJournalReplayOrder,
  "4_search_tokenizer": searchTokenizer,
  "5_shadow_outbox": shadowOutbox,
  "6_read_indexes": readIndexes,
  "7_row_tallies": rowTallies
}

/**
 * Kept for verify's SearchCheck, which still imports the triggers from here; they are a current-schema
 * expectation, so new code takes `sqliteFtsTriggers` from CurrentSchema.ts.
 */
export const ftsTriggersSql: ReadonlyArray<string> = sqliteFtsTriggers
