/**
 * SQLite schema migrations. Legacy databases in the field have no version table, so migration 1 brings any of
 * them (either historical form, or a new empty file) to the current schema in place: it creates what is
 * missing, adds the late user_profiles columns, swaps the stale FTS5 triggers for the 'delete'-command form
 * and rebuilds the FTS index once. It never drops or rewrites user data.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { userProfilesTable } from "../domain/Tables.js"
import { legacySchemaSql } from "./LegacySchema.js"
import { journalReplayIndex, journalTableSql } from "./JournalSchema.js"
import { splitStatements } from "./splitStatements.js"

const sqliteType = (kind: string) =>
  kind === "real" ? "REAL" : kind === "text" || kind === "json" ? "TEXT" : "INTEGER"

/** The legacy DDL made idempotent; the legacy triggers are left out because they are replaced below. */
const legacyDdlIfMissing = splitStatements(legacySchemaSql)
  .filter((s) => !/^CREATE TRIGGER/i.test(s))
  .map((s) =>
    s
      .replace(/^CREATE TABLE /i, "CREATE TABLE IF NOT EXISTS ")
      .replace(
        /^CREATE (UNIQUE )?INDEX /i,
        (_m, unique: string | undefined) => `CREATE ${unique ?? ""}INDEX IF NOT EXISTS `
      )
      .replace(/^CREATE VIRTUAL TABLE /i, "CREATE VIRTUAL TABLE IF NOT EXISTS ")
  )

const ftsColumns = "rowid, message_content, tool_name, username"
const oldValues = "old.rowid, old.message_content, old.tool_name, old.username"
const newValues = "new.rowid, new.message_content, new.tool_name, new.username"

/** External-content FTS5 tables must be told what is removed with the 'delete' command, with the old values. */
export const ftsTriggersSql: ReadonlyArray<string> = [
  `CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
  INSERT INTO messages_fts(messages_fts, ${ftsColumns}) VALUES ('delete', ${oldValues});
END`,
  `CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
  INSERT INTO messages_fts(${ftsColumns}) VALUES (${newValues});
END`,
  `CREATE TRIGGER messages_fts_update AFTER UPDATE ON messages BEGIN
  INSERT INTO messages_fts(messages_fts, ${ftsColumns}) VALUES ('delete', ${oldValues});
  INSERT INTO messages_fts(${ftsColumns}) VALUES (${newValues});
END`
]

const upgradeLegacy = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  for (const statement of legacyDdlIfMissing) yield* sql.unsafe(statement)

  const present = new Set(
    (yield* sql<{ name: string }>`SELECT name FROM pragma_table_info('user_profiles')`).map((r) => r.name)
  )
  for (const [name, column] of Object.entries(userProfilesTable.columns)) {
    if (!present.has(name)) {
      yield* sql.unsafe(`ALTER TABLE user_profiles ADD COLUMN "${name}" ${sqliteType(column.kind)}`)
    }
  }

  for (const trigger of ["messages_fts_delete", "messages_fts_insert", "messages_fts_update"]) {
    yield* sql.unsafe(`DROP TRIGGER IF EXISTS ${trigger}`)
  }
  for (const statement of ftsTriggersSql) yield* sql.unsafe(statement)
  // The old triggers left stale terms behind: rebuild the index from the content table, once.
  yield* sql.unsafe(`INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')`)
})

const shadowJournal = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  for (const statement of journalTableSql("sqlite")) yield* sql.unsafe(statement)
})

export const sqliteMigrations = {
  "1_legacy_baseline": upgradeLegacy,
  "2_shadow_journal": shadowJournal,
  "3_shadow_journal_replay_order": journalReplayIndex
}
