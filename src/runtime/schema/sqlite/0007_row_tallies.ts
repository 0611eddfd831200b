/**
 * SQLite migration 7, frozen: the tallies of PostgreSQL migration 10 (see there), with the same dimensions and
 * keys, kept by row triggers, and filled from the rows the file already has (1M messages: about a second).
 * SQLite has no TRUNCATE: a DELETE without WHERE runs the delete trigger for each row.
 */
import { fixedStatements } from "../FrozenMigration.js"

/** One upsert per tally of a row (`row` is NEW or OLD), counting `n`, in the order PostgreSQL takes them. */
const tallyStatements = (table: string, row: string, n: string) => {
  const upsert = (dimension: string, key: string) =>
    `INSERT INTO row_tallies (dimension, key, n) SELECT ${dimension}, ${row}.${key}, ${n} WHERE ${row}.${key} IS NOT NULL
    ON CONFLICT (dimension, key) DO UPDATE SET n = n + excluded.n;`
  return table === "messages"
    ? [
        upsert("'messages.channel_id'", "channel_id"),
        upsert("'messages.user_id'", "user_id"),
        upsert(`'messages.user_id.' || coalesce(${row}.sender_type, '')`, "user_id")
      ].join("\n  ")
    : upsert("'queries.user_id'", "user_id")
}

const fill = (table: string) =>
  table === "messages"
    ? `INSERT INTO row_tallies (dimension, key, n)
  SELECT dimension, key, sum(n) FROM (
    SELECT 'messages.channel_id' AS dimension, channel_id AS key, 1 AS n FROM messages WHERE channel_id IS NOT NULL
    UNION ALL SELECT 'messages.user_id', user_id, 1 FROM messages WHERE user_id IS NOT NULL
    UNION ALL SELECT 'messages.user_id.' || coalesce(sender_type, ''), user_id, 1 FROM messages WHERE user_id IS NOT NULL
  ) GROUP BY dimension, key`
    : `INSERT INTO row_tallies (dimension, key, n)
  SELECT 'queries.user_id', user_id, count(*) FROM queries WHERE user_id IS NOT NULL GROUP BY user_id`

const triggers = (table: string, changing: string) => [
  `CREATE TRIGGER IF NOT EXISTS ${table}_tally_insert AFTER INSERT ON ${table} BEGIN
  ${tallyStatements(table, "NEW", "1")}
END`,
  `CREATE TRIGGER IF NOT EXISTS ${table}_tally_delete AFTER DELETE ON ${table} BEGIN
  ${tallyStatements(table, "OLD", "-1")}
END`,
  `CREATE TRIGGER IF NOT EXISTS ${table}_tally_update AFTER UPDATE OF ${changing} ON ${table} BEGIN
  ${tallyStatements(table, "OLD", "-1")}
  ${tallyStatements(table, "NEW", "1")}
END`,
  `DELETE FROM row_tallies WHERE dimension LIKE '${table}.%'`,
  fill(table)
]

export const rowTallies = fixedStatements([
  `CREATE TABLE IF NOT EXISTS row_tallies (
  dimension TEXT NOT NULL,
  key TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (dimension, key)
) WITHOUT ROWID`,
  ...triggers("messages", "user_id, channel_id, sender_type"),
  ...triggers("queries", "user_id")
])
