/**
 * What the schema is expected to be after every migration has run, for code that inspects or repairs a live
 * database (verify, repair) rather than migrating it. The frozen migrations never import this module; it points
 * at the migration that last set each object, so a new migration that replaces one must be pointed to here
 * (test/schema/MigrationSnapshots.test.ts compares these expectations with a migrated database).
 */
import { ftsTriggers } from "./sqlite/0001_legacy_baseline.js"

/** SQLite's FTS5 triggers in the 'delete'-command form, as SQLite migration 1 installs them. */
export const sqliteFtsTriggers: ReadonlyArray<string> = ftsTriggers

/** Their names, to drop whatever form a file holds before installing {@link sqliteFtsTriggers}. */
export const sqliteFtsTriggerNames: ReadonlyArray<string> = [
  "messages_fts_delete",
  "messages_fts_insert",
  "messages_fts_update"
]

/** The PostgreSQL full-text index; the store's search expression must repeat its expression exactly. */
export const pgSearchIndexName = "idx_messages_fts"
