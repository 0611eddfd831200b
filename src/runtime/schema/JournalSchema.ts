/**
 * The shadow journal lives in the primary database: a shadow write that could not be applied is recorded in
 * the same place the write itself succeeded, so it is exactly as durable as the data.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import type { Backend } from "../domain/Errors.js"

export const journalTableSql = (backend: Backend): ReadonlyArray<string> => [
  `CREATE TABLE IF NOT EXISTS shadow_journal (
  seq ${backend === "postgres" ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"},
  target TEXT NOT NULL,
  operation TEXT NOT NULL,
  aggregate_key TEXT NOT NULL,
  payload TEXT NOT NULL,
  error TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  recorded_at BIGINT NOT NULL
)`,
  `CREATE INDEX IF NOT EXISTS idx_shadow_journal_target ON shadow_journal(target, seq)`
]

/**
 * Replay and listing page through one target's entries in (recorded_at, seq) order; an index in exactly that
 * order serves each page as a range scan instead of sorting the target's whole backlog. Its prefix still serves
 * counting by target, so the first index goes.
 */
export const journalReplayIndex = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql.unsafe(`CREATE INDEX IF NOT EXISTS idx_shadow_journal_replay ON shadow_journal(target, recorded_at, seq)`)
  yield* sql.unsafe(`DROP INDEX IF EXISTS idx_shadow_journal_target`)
})
