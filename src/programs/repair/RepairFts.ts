/**
 * Repairs SQLite's full-text index when verify's FTS inspection finds it broken: the triggers are recreated in
 * the 'delete'-command form the current schema expects (CurrentSchema.ts) and the index is rebuilt from the
 * messages table once, in one transaction. Nothing is touched when the index is intact: a rebuild rewrites the
 * whole index.
 */
import type { SqlError } from "@effect/sql"
import { Effect } from "effect"
import { sqliteFtsTable, sqliteFtsTriggerNames, sqliteFtsTriggers } from "../../runtime/schema/CurrentSchema.js"
import { inspectSqliteFts } from "../verify/checks/SearchCheck.js"
import type { Databases } from "../verify/Databases.js"
import type { FtsRepairReport } from "./RepairReport.js"

export const repairFts = (db: Databases, dryRun: boolean): Effect.Effect<FtsRepairReport, SqlError.SqlError> =>
  Effect.gen(function* () {
    const { problems } = yield* inspectSqliteFts(db.sqlite)
    if (problems.length === 0 || dryRun) return { problems, repaired: false }
    const sql = db.sqlite
    yield* Effect.gen(function* () {
      // A table gone altogether comes back as the current schema has it (the tokenizer of SQLite migration 4), so
      // that SQLite keeps finding what PostgreSQL finds. One that exists is kept: the rebuild below refills it.
      const present = yield* sql`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'messages_fts'`
      if (present.length === 0) yield* sql.unsafe(sqliteFtsTable)
      for (const trigger of sqliteFtsTriggerNames) yield* sql.unsafe(`DROP TRIGGER IF EXISTS ${trigger}`)
      for (const statement of sqliteFtsTriggers) yield* sql.unsafe(statement)
      yield* sql.unsafe(`INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')`)
    }).pipe(sql.withTransaction)
    return { problems, repaired: true }
  })
