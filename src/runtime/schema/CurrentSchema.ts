/**
 * What the schema is expected to be after every migration has run, for code that inspects or repairs a live
 * database (verify, repair) rather than migrating it. The frozen migrations never import this module; it points
 * at the migration that last set each object, so a new migration that replaces one must be pointed to here
 * (test/schema/MigrationSnapshots.test.ts compares these expectations with a migrated database).
 */
import type { ColumnKind } from "../domain/Column.js"
import type { Backend } from "../domain/Errors.js"
import { ftsTriggers } from "./sqlite/0001_legacy_baseline.js"
import { searchTokenizer } from "./sqlite/0004_search_tokenizer.js"

/** SQLite's FTS5 triggers in the 'delete'-command form, as SQLite migration 1 installs them. */
export const sqliteFtsTriggers: ReadonlyArray<string> = ftsTriggers

/**
 * SQLite's FTS5 table as SQLite migration 4 creates it (its tokenizer splits and folds words as PostgreSQL's search
 * does), to recreate it where it went missing.
 */
export const sqliteFtsTable: string = searchTokenizer.statements.find((s) =>
  s.startsWith("CREATE VIRTUAL TABLE messages_fts ")
)!

/** Their names, to drop whatever form a file holds before installing {@link sqliteFtsTriggers}. */
export const sqliteFtsTriggerNames: ReadonlyArray<string> = [
  "messages_fts_delete",
  "messages_fts_insert",
  "messages_fts_update"
]

/**
 * The condition of PostgreSQL's whole-table time indexes (messages, queries, documents; migration 8), true of every
 * row. The Store adds it to exactly the reads that have no user, channel or creator, so that those reads, and only
 * those, can walk a whole table in time order; a read for one user uses that user's index.
 */
export const pgWholeTable = "(id >= '') IS TRUE"

/** The PostgreSQL full-text index, on the stored `search_vector` since PostgreSQL migration 7. */
export const pgSearchIndexName = "idx_messages_fts"

/**
 * The PostgreSQL type of each column kind, as format_type() names it after every migration: migration 1 created
 * the columns, migration 4 made the `integer` kind NUMERIC so that it holds what SQLite's INTEGER affinity keeps
 * (64-bit integers and fractions such as 72.5). The time kinds stay BIGINT: the bot only ever writes whole
 * seconds and milliseconds, and the writes refuse fractions there (Column.writeSchemaOf).
 */
export const pgColumnTypes: Readonly<Record<ColumnKind, string>> = {
  text: "text",
  integer: "numeric",
  epochMillis: "bigint",
  epochSeconds: "bigint",
  real: "double precision",
  json: "jsonb",
  boolean: "boolean"
}

/**
 * The tables of shadow replication (SQLite migration 5, PostgreSQL migration 6), on both databases: each is a
 * primary (outbox, origin, lease) in some phases and a shadow (applied positions, dead letters) in others.
 */
export const replicationTables: ReadonlyArray<string> = [
  "shadow_outbox",
  "shadow_outbox_origin",
  "shadow_applier_lease",
  "shadow_applied",
  "shadow_dead_letters"
]

/**
 * What the tally triggers keep of each table (PostgreSQL migration 10, SQLite migration 7): (dimension, key) as
 * expressions over one of its rows `r`.
 */
const talliedDimensions = {
  messages: [
    ["'messages.channel_id'", "r.channel_id"],
    ["'messages.user_id'", "r.user_id"],
    ["'messages.user_id.' || coalesce(r.sender_type, '')", "r.user_id"]
  ],
  queries: [["'queries.user_id'", "r.user_id"]]
} as const

export type TalliedTable = keyof typeof talliedDimensions

/** The tables whose rows are tallied (`row_tallies`). */
export const talliedTables: ReadonlyArray<TalliedTable> = ["messages", "queries"]

export const isTalliedTable = (table: string): table is TalliedTable =>
  (talliedTables as ReadonlyArray<string>).includes(table)

/**
 * `SELECT dimension, key, n`: the tallies of `table` counted from its rows. PostgreSQL in one scan of the table
 * (LATERAL), SQLite in one scan per dimension (it has no LATERAL).
 */
export const countedTallies = (backend: Backend, table: TalliedTable): string => {
  const dimensions = talliedDimensions[table]
  return backend === "postgres"
    ? `SELECT t.dimension, t.key, count(*) AS n FROM ${table} AS r
   CROSS JOIN LATERAL (VALUES ${dimensions.map(([d, k]) => `(${d}, ${k})`).join(", ")}) AS t(dimension, key)
   WHERE t.key IS NOT NULL GROUP BY t.dimension, t.key`
    : `SELECT dimension, key, count(*) AS n FROM (${dimensions
        .map(([d, k]) => `SELECT ${d} AS dimension, ${k} AS key FROM ${table} AS r WHERE ${k} IS NOT NULL`)
        .join(" UNION ALL ")}) GROUP BY dimension, key`
}

/**
 * Counts the tallies of `table` again from its rows: to run in one transaction, which holds off other writers for
 * the count (a write before it is counted, one after it adds itself through the triggers). PostgreSQL takes the
 * lock explicitly; a SQLite transaction holds the file's write lock from its first write.
 */
export const recountTallies = (backend: Backend, table: TalliedTable): ReadonlyArray<string> => [
  ...(backend === "postgres" ? [`LOCK TABLE ${table} IN SHARE MODE`] : []),
  `DELETE FROM row_tallies WHERE dimension LIKE '${table}.%'`,
  `INSERT INTO row_tallies (dimension, key, n) ${countedTallies(backend, table)}`
]
