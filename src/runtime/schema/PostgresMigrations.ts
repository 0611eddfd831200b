/**
 * PostgreSQL schema migrations, generated from the table registry so both dialects always have the same
 * columns: BIGINT for integers and epoch times, JSONB for JSON, BOOLEAN for `is_public`, the legacy foreign
 * keys, CHECK and indexes, and a GIN full-text index. The Migrator records what ran, so re-running is a no-op.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import type { AnyColumn } from "../domain/Column.js"
import { type Table, tables } from "../domain/Tables.js"
import { pgSearchVector } from "../store/SqlStore.js"
import { journalReplayIndex, journalTableSql } from "./JournalSchema.js"

const pgType = (column: AnyColumn): string => {
  switch (column.kind) {
    case "text":
      return "TEXT"
    case "integer":
    case "epochMillis":
    case "epochSeconds":
      return "BIGINT"
    case "real":
      return "DOUBLE PRECISION"
    case "json":
      return "JSONB"
    case "boolean":
      return "BOOLEAN"
  }
}

const pgDefault = (value: "now" | number | string | boolean): string =>
  value === "now"
    ? "EXTRACT(EPOCH FROM NOW())::BIGINT"
    : typeof value === "string"
      ? `'${value.replaceAll("'", "''")}'`
      : String(value).toUpperCase()

const createTable = (table: Table): string => {
  const lines = Object.entries(table.columns).map(([name, column]) => {
    const parts = [`"${name}"`, pgType(column)]
    // Keys compare byte-wise as in SQLite, so both backends page and order rows identically.
    if (column.kind === "text" && (name === "id" || name.endsWith("_id"))) parts.push(`COLLATE "C"`)
    if (name === table.primaryKey) parts.push("PRIMARY KEY")
    else if (!column.nullable) parts.push("NOT NULL")
    const def = table.defaults?.[name]
    if (def !== undefined) parts.push(`DEFAULT ${pgDefault(def)}`)
    return `  ${parts.join(" ")}`
  })
  if (table.name === "messages") lines.push(`  CHECK (sender_type IN ('human', 'ai', 'tool'))`)
  if (table.name === "user_profiles") lines.push(`  UNIQUE (user_id)`)
  if (table.foreignKey) {
    const fk = table.foreignKey
    lines.push(`  FOREIGN KEY ("${fk.column}") REFERENCES ${fk.parent}("${fk.parentColumn}") ON DELETE CASCADE`)
  }
  return `CREATE TABLE IF NOT EXISTS ${table.name} (\n${lines.join(",\n")}\n)`
}

/** Every index of the legacy schema, under the same names. */
export const legacyIndexes: ReadonlyArray<string> = [
  "CREATE INDEX IF NOT EXISTS idx_collaborators_document_id ON document_collaborators(document_id)",
  "CREATE UNIQUE INDEX IF NOT EXISTS idx_collaborators_unique ON document_collaborators(document_id, user_id)",
  "CREATE INDEX IF NOT EXISTS idx_collaborators_user_id ON document_collaborators(user_id)",
  "CREATE INDEX IF NOT EXISTS idx_documents_created_at ON documents(created_at DESC)",
  "CREATE INDEX IF NOT EXISTS idx_documents_created_by ON documents(created_by)",
  "CREATE INDEX IF NOT EXISTS idx_documents_updated_at ON documents(updated_at DESC)",
  "CREATE INDEX IF NOT EXISTS idx_messages_channel_id ON messages(channel_id)",
  "CREATE INDEX IF NOT EXISTS idx_messages_sender_type ON messages(sender_type)",
  "CREATE INDEX IF NOT EXISTS idx_messages_session_id ON messages(session_id)",
  "CREATE INDEX IF NOT EXISTS idx_messages_timestamp ON messages(timestamp DESC)",
  "CREATE INDEX IF NOT EXISTS idx_messages_user_id ON messages(user_id)",
  "CREATE INDEX IF NOT EXISTS idx_queries_timestamp ON queries(timestamp DESC)",
  "CREATE INDEX IF NOT EXISTS idx_queries_user_id ON queries(user_id)",
  "CREATE INDEX IF NOT EXISTS idx_analysis_history_timestamp ON user_analysis_history(analysis_timestamp DESC)",
  "CREATE INDEX IF NOT EXISTS idx_analysis_history_user_id ON user_analysis_history(user_id)",
  "CREATE INDEX IF NOT EXISTS idx_user_profiles_last_analyzed ON user_profiles(last_analyzed_at)",
  "CREATE INDEX IF NOT EXISTS idx_user_profiles_user_id ON user_profiles(user_id)"
]

/**
 * Full-text search uses the `simple` configuration (no stemming, no stop words), like SQLite's unicode61
 * tokenizer, so a search returns the same rows on both backends.
 */
export const searchIndexSql = `CREATE INDEX IF NOT EXISTS idx_messages_fts ON messages USING GIN (${pgSearchVector})`

const initialSchema = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  for (const table of tables) yield* sql.unsafe(createTable(table))
  for (const index of legacyIndexes) yield* sql.unsafe(index)
  yield* sql.unsafe(searchIndexSql)
})

const shadowJournal = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  for (const statement of journalTableSql("postgres")) yield* sql.unsafe(statement)
})

export const postgresMigrations = {
  "1_initial_schema": initialSchema,
  "2_shadow_journal": shadowJournal,
  "3_shadow_journal_replay_order": journalReplayIndex
}
