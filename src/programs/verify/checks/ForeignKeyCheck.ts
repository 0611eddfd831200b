/**
 * "No foreign key violations". PostgreSQL enforces its constraints, so an orphan there means a constraint is
 * missing: both are checked and either fails. SQLite never enforced them in the field (foreign keys were never
 * switched on), so orphans there are legacy data that PostgreSQL cannot take: each one must be a recorded reject
 * (then it is listed as a warning, an explained and accepted loss) or the check fails, naming the keys.
 */
import type { SqlClient, SqlError } from "@effect/sql"
import { Effect } from "effect"
import type { Backend } from "../../../runtime/domain/Errors.js"
import { type Table, tables } from "../../../runtime/domain/Tables.js"
import type { Databases } from "../Databases.js"
import type { RecordedRejects } from "../Rejects.js"
import { check, type CheckResult } from "../VerifyReport.js"

/** Orphan keys kept per table to match against the recorded rejects; beyond this they count as unexplained. */
const orphanKeyCap = 100_000

export interface Orphans {
  readonly backend: Backend
  readonly table: string
  readonly parent: string
  readonly count: number
  readonly keys: ReadonlyArray<string>
}

const childTables = tables.filter(
  (t): t is Table & { foreignKey: NonNullable<Table["foreignKey"]> } => t.foreignKey !== undefined
)

export const findOrphans = (
  backend: Backend,
  sql: SqlClient.SqlClient
): Effect.Effect<ReadonlyArray<Orphans>, SqlError.SqlError> =>
  Effect.forEach(childTables, (table) => {
    const fk = table.foreignKey
    const where = sql`c.${sql(fk.column)} IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM ${sql(fk.parent)} p WHERE p.${sql(fk.parentColumn)} = c.${sql(fk.column)})`
    return Effect.all({
      count: sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM ${sql(table.name)} c WHERE ${where}`,
      keys: sql<{
        id: string
      }>`SELECT c.id FROM ${sql(table.name)} c WHERE ${where} ORDER BY c.id LIMIT ${orphanKeyCap}`
    }).pipe(
      Effect.map(({ count, keys }) => ({
        backend,
        table: table.name,
        parent: fk.parent,
        count: Number(count[0]?.n ?? 0),
        keys: keys.map((k) => String(k.id))
      }))
    )
  })

/** Child tables of the registry that lack their FOREIGN KEY constraint on PostgreSQL. */
export const missingPostgresConstraints = (
  pg: SqlClient.SqlClient
): Effect.Effect<ReadonlyArray<string>, SqlError.SqlError> =>
  pg<{ tbl: string }>`SELECT conrelid::regclass::text AS tbl FROM pg_constraint
    WHERE contype = 'f' AND connamespace = current_schema()::regnamespace`.pipe(
    Effect.map((rows) => {
      const constrained = new Set(rows.map((r) => r.tbl))
      return childTables.map((t) => t.name).filter((name) => !constrained.has(name))
    })
  )

export interface ForeignKeyFindings {
  readonly sqlite: ReadonlyArray<Orphans>
  readonly postgres: ReadonlyArray<Orphans>
  readonly missingConstraints: ReadonlyArray<string>
}

export const inspectForeignKeys = (db: Databases): Effect.Effect<ForeignKeyFindings, SqlError.SqlError> =>
  Effect.all({
    sqlite: findOrphans("sqlite", db.sqlite),
    postgres: findOrphans("postgres", db.postgres),
    missingConstraints: missingPostgresConstraints(db.postgres)
  })

export const foreignKeyCheck = (
  findings: ForeignKeyFindings,
  rejects: RecordedRejects,
  sampleKeys: number
): CheckResult => {
  const details: Array<string> = []
  let failed = false
  let explainedTotal = 0
  for (const name of findings.missingConstraints) {
    failed = true
    details.push(`postgres: ${name} has no FOREIGN KEY constraint`)
  }
  for (const o of findings.postgres) {
    if (o.count === 0) continue
    failed = true
    details.push(
      `postgres: ${o.count} ${o.table} row(s) without their ${o.parent} row: ${o.keys.slice(0, sampleKeys).join(", ")}`
    )
  }
  for (const o of findings.sqlite) {
    if (o.count === 0) continue
    const explained = o.keys.filter((k) => rejects.has(o.table, k))
    const unexplained = o.keys.filter((k) => !rejects.has(o.table, k))
    const beyondCap = o.count - o.keys.length
    explainedTotal += explained.length
    if (unexplained.length > 0 || beyondCap > 0) {
      failed = true
      details.push(
        `sqlite: ${unexplained.length + beyondCap} ${o.table} row(s) without their ${o.parent} row, not recorded as rejects ` +
          `(PostgreSQL refuses them): ${unexplained.slice(0, sampleKeys).join(", ")}`
      )
    }
    if (explained.length > 0) {
      details.push(
        `sqlite: ${explained.length} legacy ${o.table} orphan(s) recorded as rejects (not migrated): ${explained
          .slice(0, sampleKeys)
          .join(", ")}`
      )
    }
  }
  const total = (os: ReadonlyArray<Orphans>) => os.reduce((n, o) => n + o.count, 0)
  const figure =
    `${total(findings.postgres)} orphan(s) on postgres, ${total(findings.sqlite)} on sqlite` +
    (explainedTotal > 0 ? ` (${explainedTotal} recorded as rejects)` : "") +
    `; ${childTables.length - findings.missingConstraints.length}/${childTables.length} FK constraints on postgres`
  const status = failed ? "fail" : explainedTotal > 0 ? "warn" : "pass"
  return check("foreign-keys", status, figure, details, findings)
}
