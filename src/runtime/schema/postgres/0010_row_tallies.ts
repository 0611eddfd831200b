/**
 * PostgreSQL migration 10, frozen: tallies of messages and queries, kept by triggers, for the bot's counts that
 * have no time range and no search (SqlStore's `tallyOf`). Counting a busy channel's index range took 16 ms at
 * 1M messages and 111 ms at 10M; a tally is one row of `row_tallies`, read by its primary key.
 *
 * A tally is named by a dimension and a key: `messages.channel_id` and a channel id, `messages.user_id` and a
 * user id, `messages.user_id.<sender type>` and a user id, `queries.user_id` and a user id. Rows without the
 * column (a message without a user) are not tallied; no count asks for them.
 *
 * The triggers run once per statement over its transition tables, so a multi-row insert (a shadow batch) adds
 * each tally once, in key order (two writers take the tally rows' locks in the same order and cannot deadlock).
 * TRUNCATE clears the table's tallies. A session that sets `omega.skip_tallies` to `on` writes without them: the
 * loader's (`copy`, `import`), which recounts a table's tallies once its rows are in (tallying each COPY batch
 * made a 1M-message copy a third slower). The migration runs in one transaction with the trigger creation
 * locking the tables, so the fill from the rows already there misses no concurrent write.
 */
import { fixedStatements } from "../FrozenMigration.js"

/** The tallies of the rows of `source` (a table or transition table of messages), each counting `n`. */
const messageTallies = (source: string, n: string) =>
  `SELECT 'messages.channel_id' AS dimension, channel_id AS key, ${n} AS n FROM ${source} WHERE channel_id IS NOT NULL
   UNION ALL SELECT 'messages.user_id', user_id, ${n} FROM ${source} WHERE user_id IS NOT NULL
   UNION ALL SELECT 'messages.user_id.' || coalesce(sender_type, ''), user_id, ${n} FROM ${source}
     WHERE user_id IS NOT NULL`

const queryTallies = (source: string, n: string) =>
  `SELECT 'queries.user_id' AS dimension, user_id AS key, ${n} AS n FROM ${source} WHERE user_id IS NOT NULL`

/** Adds the deltas (rows of dimension, key, n) to the tallies, one upsert per tally, in key order. */
const addDeltas = (deltas: string) =>
  `INSERT INTO row_tallies (dimension, key, n)
   SELECT dimension, key, sum(n) FROM (${deltas}) AS delta GROUP BY dimension, key HAVING sum(n) <> 0
   ORDER BY dimension, key
   ON CONFLICT (dimension, key) DO UPDATE SET n = row_tallies.n + excluded.n`

/** Set by the loader's sessions only: they recount instead (CurrentSchema's `pgRecountTallies`). */
const skipped = "IF current_setting('omega.skip_tallies', true) = 'on' THEN RETURN NULL; END IF;"

const triggers = (table: string, tallies: (source: string, n: string) => string) => [
  `CREATE OR REPLACE FUNCTION ${table}_tally_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  ${skipped}
  ${addDeltas(tallies("tally_new", "1"))};
  RETURN NULL;
END$$`,
  `CREATE OR REPLACE FUNCTION ${table}_tally_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  ${skipped}
  ${addDeltas(tallies("tally_old", "-1"))};
  RETURN NULL;
END$$`,
  `CREATE OR REPLACE FUNCTION ${table}_tally_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  ${skipped}
  ${addDeltas(`${tallies("tally_new", "1")} UNION ALL ${tallies("tally_old", "-1")}`)};
  RETURN NULL;
END$$`,
  `CREATE OR REPLACE FUNCTION ${table}_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM row_tallies WHERE dimension LIKE '${table}.%';
  RETURN NULL;
END$$`,
  `DROP TRIGGER IF EXISTS ${table}_tally_insert ON ${table}`,
  `CREATE TRIGGER ${table}_tally_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS tally_new
   FOR EACH STATEMENT EXECUTE FUNCTION ${table}_tally_insert()`,
  `DROP TRIGGER IF EXISTS ${table}_tally_delete ON ${table}`,
  `CREATE TRIGGER ${table}_tally_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS tally_old
   FOR EACH STATEMENT EXECUTE FUNCTION ${table}_tally_delete()`,
  `DROP TRIGGER IF EXISTS ${table}_tally_update ON ${table}`,
  `CREATE TRIGGER ${table}_tally_update AFTER UPDATE ON ${table}
   REFERENCING NEW TABLE AS tally_new OLD TABLE AS tally_old
   FOR EACH STATEMENT EXECUTE FUNCTION ${table}_tally_update()`,
  `DROP TRIGGER IF EXISTS ${table}_tally_truncate ON ${table}`,
  `CREATE TRIGGER ${table}_tally_truncate AFTER TRUNCATE ON ${table}
   FOR EACH STATEMENT EXECUTE FUNCTION ${table}_tally_truncate()`,
  `DELETE FROM row_tallies WHERE dimension LIKE '${table}.%'`,
  addDeltas(tallies(table, "1"))
]

export const rowTallies = fixedStatements([
  `CREATE TABLE IF NOT EXISTS row_tallies (
  dimension TEXT NOT NULL,
  key TEXT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (dimension, key)
)`,
  ...triggers("messages", messageTallies),
  ...triggers("queries", queryTallies)
])
