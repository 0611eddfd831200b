/**
 * The PostgreSQL schema migrations, in order. Each is frozen text in postgres/ (see FrozenMigration.ts): an
 * applied migration never changes, so a later schema change (a column, a type, an index) is a new migration
 * appended here. The Migrator records what ran, so re-running is a no-op.
 */
import type { FrozenMigration } from "./FrozenMigration.js"
import { initialSchema } from "./postgres/0001_initial_schema.js"
import { shadowJournal } from "./postgres/0002_shadow_journal.js"
import { shadowJournalReplayOrder } from "./postgres/0003_shadow_journal_replay_order.js"
import { integerColumnsNumeric } from "./postgres/0004_integer_columns_numeric.js"
import { searchWords } from "./postgres/0005_search_words.js"
import { shadowOutbox } from "./postgres/0006_shadow_outbox.js"
import { storedSearchVector } from "./postgres/0007_stored_search_vector.js"
import { readIndexes } from "./postgres/0008_read_indexes.js"
import { filterBitmaps } from "./postgres/0009_filter_bitmaps.js"
import { rowTallies } from "./postgres/0010_row_tallies.js"

export const postgresMigrations: Readonly<Record<string, FrozenMigration>> = {
  "1_initial_schema": initialSchema,
  "2_shadow_journal": shadowJournal,
  "3_shadow_journal_replay_order": shadowJournalReplayOrder,
  "4_integer_columns_numeric": integerColumnsNumeric,
  "5_search_words": searchWords,
  "6_shadow_outbox": shadowOutbox,
  "7_stored_search_vector": storedSearchVector,
  "8_read_indexes": readIndexes,
  "9_filter_bitmaps": filterBitmaps,
  "10_row_tallies": rowTallies
}
