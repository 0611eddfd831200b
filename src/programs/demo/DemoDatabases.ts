/**
 * The demo's two databases, opened directly (not through a mode) between phases: to apply the schema, verify,
 * repair and count rows on both sides, as an operator's tools would while the bot runs. Neither layer migrates:
 * the schema phase does that, and verify must see the databases as they are.
 */
import { Effect, Layer } from "effect"
import type { PostgresOptions } from "../../runtime/config/DatabaseConfig.js"
import { type TableName, tables } from "../../runtime/domain/Tables.js"
import * as PostgresDatabase from "../../runtime/layers/PostgresDatabase.js"
import * as SqliteDatabase from "../../runtime/layers/SqliteDatabase.js"
import type { TableRows } from "./DemoSummary.js"
import { retryWhileSlotTaken } from "./Reconnect.js"

export interface DemoDatabaseSettings {
  readonly sqlitePath: string
  readonly postgres: PostgresOptions
  /** PostgreSQL is the embedded server (one connection, one statement at a time). */
  readonly embedded: boolean
}

export const bothDatabases = (settings: DemoDatabaseSettings) =>
  Layer.merge(
    SqliteDatabase.layer({ filename: settings.sqlitePath, busyTimeoutMs: 5000, migrate: false }),
    retryWhileSlotTaken(PostgresDatabase.layer({ ...settings.postgres, migrate: false }))
  )

/** Rows per table on both sides; `rejected` is what SQLite is expected to hold beyond PostgreSQL. */
export const countRows = (expectedExtra: Partial<Record<TableName, number>>) =>
  Effect.gen(function* () {
    const sqlite = (yield* SqliteDatabase.SqliteDatabase).sql
    const postgres = (yield* PostgresDatabase.PostgresDatabase).sql
    return yield* Effect.forEach(tables, (table) =>
      Effect.gen(function* () {
        const [s] = yield* sqlite<{ n: number }>`SELECT COUNT(*) AS n FROM ${sqlite(table.name)}`
        const [p] = yield* postgres<{ n: number | string }>`SELECT COUNT(*) AS n FROM ${postgres(table.name)}`
        const rows: TableRows = {
          table: table.name,
          sqlite: Number(s?.n ?? 0),
          postgres: Number(p?.n ?? 0),
          rejected: expectedExtra[table.name] ?? 0
        }
        return rows
      })
    )
  })

/** Both sides hold the same rows apart from the rejected ones. */
export const countsMatch = (rows: ReadonlyArray<TableRows>): boolean =>
  rows.every((r) => r.sqlite - r.rejected === r.postgres)

export const totalRows = (rows: ReadonlyArray<TableRows>, side: "sqlite" | "postgres"): number =>
  rows.reduce((n, r) => n + r[side], 0)

/** "messages 20,012 = 20,009 + 3 rejected" per table, for a phase's notes. */
export const describeCounts = (rows: ReadonlyArray<TableRows>): ReadonlyArray<string> =>
  rows.map(
    (r) =>
      `${r.table}: SQLite ${r.sqlite.toLocaleString("en-US")}, PostgreSQL ${r.postgres.toLocaleString("en-US")}` +
      (r.rejected > 0 ? ` (+${r.rejected} rejected by the copy, SQLite only)` : "") +
      (r.sqlite - r.rejected === r.postgres ? "" : "  <- DIFFERENT")
  )

/** Users that were migrated: their profiles are on both sides, so the bot may update them in any mode. */
export const migratedUsers = (limit: number) =>
  Effect.gen(function* () {
    const postgres = (yield* PostgresDatabase.PostgresDatabase).sql
    const rows = yield* postgres<{ user_id: string }>`SELECT user_id FROM user_profiles ORDER BY user_id LIMIT ${limit}`
    return rows.map((r) => r.user_id)
  })
