/**
 * "Row counts match" and "content matches": every table is merge-joined across both databases by key (see
 * TableDiff.ts) and compared row by row on canonical checksums. The first few differing keys of each kind are
 * named; differences whose key is a recorded reject are counted apart as explained, never hidden.
 */
import type { SqlError } from "@effect/sql"
import { Effect, Option } from "effect"
import { tables } from "../../../runtime/domain/Tables.js"
import { differingColumns } from "../CanonicalRow.js"
import { describeError } from "../Describe.js"
import type { Databases } from "../Databases.js"
import type { RecordedRejects } from "../Rejects.js"
import { type DifferenceKind, diffTable, type TableDiffCounts } from "../TableDiff.js"
import { check, type CheckResult, type CheckStatus, worstStatus } from "../VerifyReport.js"

export interface DifferentKey {
  readonly key: string
  readonly columns: ReadonlyArray<string>
}

export interface ExplainedKey {
  readonly key: string
  readonly kind: DifferenceKind
  readonly reason: string
}

export interface TableFindings extends TableDiffCounts {
  /** Differences not explained by a recorded reject, by kind (the counts above include the explained ones). */
  readonly unexplained: Readonly<Record<DifferenceKind, number>>
  readonly explained: number
  readonly missingInPostgresKeys: ReadonlyArray<string>
  readonly missingInSqliteKeys: ReadonlyArray<string>
  readonly differentKeys: ReadonlyArray<DifferentKey>
  readonly explainedKeys: ReadonlyArray<ExplainedKey>
}

export type ContentFindings = ReadonlyArray<
  { readonly table: string; readonly findings: TableFindings } | { readonly table: string; readonly error: string }
>

/** Compares every table, keeping at most `sampleKeys` keys of each kind per table. */
export const compareContent = (
  db: Databases,
  rejects: RecordedRejects,
  pageSize: number,
  sampleKeys: number
): Effect.Effect<ContentFindings> =>
  Effect.forEach(tables, (table) => {
    const missingInPostgresKeys: Array<string> = []
    const missingInSqliteKeys: Array<string> = []
    const differentKeys: Array<DifferentKey> = []
    const explainedKeys: Array<ExplainedKey> = []
    let explained = 0
    const unexplained: Record<DifferenceKind, number> = { missingInPostgres: 0, missingInSqlite: 0, different: 0 }
    return diffTable({ sqlite: db.sqlite, postgres: db.postgres }, table, pageSize, (d) =>
      Effect.sync(() => {
        const reason = rejects.reasonOf(table.name, d.key)
        if (reason !== undefined) {
          explained++
          if (explainedKeys.length < sampleKeys) explainedKeys.push({ key: d.key, kind: d.kind, reason })
          return
        }
        unexplained[d.kind]++
        if (d.kind !== "different") {
          const keys = d.kind === "missingInPostgres" ? missingInPostgresKeys : missingInSqliteKeys
          if (keys.length < sampleKeys) keys.push(d.key)
        } else if (differentKeys.length < sampleKeys) {
          const columns =
            Option.isSome(d.sqliteRow) && Option.isSome(d.postgresRow)
              ? differingColumns(table, d.sqliteRow.value, d.postgresRow.value)
              : []
          differentKeys.push({ key: d.key, columns })
        }
      })
    ).pipe(
      Effect.map((counts) => ({
        table: table.name,
        findings: {
          ...counts,
          unexplained,
          explained,
          missingInPostgresKeys,
          missingInSqliteKeys,
          differentKeys,
          explainedKeys
        }
      })),
      Effect.catchAll((error: SqlError.SqlError) => Effect.succeed({ table: table.name, error: describeError(error) }))
    )
  })

const more = (shown: number, total: number) => (total > shown ? ` (+${total - shown} more)` : "")

export const contentCheck = (findings: ContentFindings): CheckResult => {
  const details: Array<string> = []
  let compared = 0
  let missingInPostgres = 0
  let missingInSqlite = 0
  let different = 0
  let explained = 0
  let unexplained = 0
  let errors = 0
  for (const entry of findings) {
    if ("error" in entry) {
      errors++
      details.push(`${entry.table}: not compared: ${entry.error}`)
      continue
    }
    const f = entry.findings
    compared += f.equal + f.different + f.missingInPostgres + f.missingInSqlite
    missingInPostgres += f.missingInPostgres
    missingInSqlite += f.missingInSqlite
    different += f.different
    explained += f.explained
    unexplained += f.unexplained.missingInPostgres + f.unexplained.missingInSqlite + f.unexplained.different
    if (f.missingInPostgresKeys.length > 0) {
      const n = f.unexplained.missingInPostgres
      details.push(
        `${f.table}: missing on postgres: ${f.missingInPostgresKeys.join(", ")}${more(f.missingInPostgresKeys.length, n)}`
      )
    }
    if (f.missingInSqliteKeys.length > 0) {
      const n = f.unexplained.missingInSqlite
      details.push(
        `${f.table}: missing on sqlite: ${f.missingInSqliteKeys.join(", ")}${more(f.missingInSqliteKeys.length, n)}`
      )
    }
    if (f.differentKeys.length > 0) {
      const n = f.unexplained.different
      const keys = f.differentKeys.map((k) => `${k.key} [${k.columns.join(", ")}]`)
      details.push(`${f.table}: different: ${keys.join(", ")}${more(f.differentKeys.length, n)}`)
    }
    if (f.explainedKeys.length > 0) {
      const keys = f.explainedKeys.map((k) => `${k.key} (${k.reason})`)
      details.push(
        `${f.table}: explained by recorded rejects: ${keys.join(", ")}${more(f.explainedKeys.length, f.explained)}`
      )
    }
  }
  const figure =
    `${compared} keys compared: ${missingInPostgres} missing on postgres, ${missingInSqlite} missing on sqlite, ` +
    `${different} different` +
    (explained > 0 ? ` (${explained} explained by recorded rejects)` : "")
  const status = errors > 0 || unexplained > 0 ? "fail" : explained > 0 ? "warn" : "pass"
  return check("content", status, figure, details, findings)
}

export interface TableCount {
  readonly table: string
  readonly sqlite: number
  readonly postgres: number
}

/** `COUNT(*)` on both sides, independent of the merge (which skips keys it cannot page, such as NULL ids). */
export const countRows = (db: Databases): Effect.Effect<ReadonlyArray<TableCount>, SqlError.SqlError> =>
  Effect.forEach(tables, (table) =>
    Effect.all({
      sqlite: db.sqlite<{ n: number | string }>`SELECT COUNT(*) AS n FROM ${db.sqlite(table.name)}`,
      postgres: db.postgres<{ n: number | string }>`SELECT COUNT(*) AS n FROM ${db.postgres(table.name)}`
    }).pipe(
      Effect.map(({ sqlite, postgres }) => ({
        table: table.name,
        sqlite: Number(sqlite[0]?.n ?? 0),
        postgres: Number(postgres[0]?.n ?? 0)
      }))
    )
  )

/**
 * Counts that differ only by recorded rejects warn; any other difference fails. Recorded rejects are listed (by
 * key; the content check gives their reasons) for every table that has some, matching counts or not.
 */
export const rowCountCheck = (
  counts: ReadonlyArray<TableCount>,
  findings: ContentFindings,
  rejects: RecordedRejects,
  sampleKeys: number
): CheckResult => {
  const details: Array<string> = []
  const statuses: Array<CheckStatus> = []
  for (const count of counts) {
    const entry = findings.find((f) => f.table === count.table)
    const recorded = rejects.entries.filter((e) => e.table === count.table)
    const rejectNote =
      recorded.length === 0
        ? ""
        : `; ${recorded.length} recorded reject(s): ${recorded
            .slice(0, sampleKeys)
            .map((r) => r.key)
            .join(", ")}${more(Math.min(sampleKeys, recorded.length), recorded.length)}`
    if (count.sqlite === count.postgres) {
      statuses.push("pass")
      if (recorded.length > 0) details.push(`${count.table}: ${count.sqlite} = ${count.postgres}${rejectNote}`)
      continue
    }
    const missingExplained =
      entry !== undefined &&
      "findings" in entry &&
      entry.findings.unexplained.missingInPostgres === 0 &&
      entry.findings.unexplained.missingInSqlite === 0 &&
      // and the merge saw the same gap (rows it cannot page, such as a NULL id, leave the gap unexplained)
      count.sqlite - count.postgres === entry.findings.missingInPostgres - entry.findings.missingInSqlite
    statuses.push(missingExplained ? "warn" : "fail")
    details.push(
      `${count.table}: sqlite ${count.sqlite} ≠ postgres ${count.postgres}` +
        (missingExplained ? " (explained by recorded rejects)" : "") +
        rejectNote
    )
  }
  const sqliteTotal = counts.reduce((n, c) => n + c.sqlite, 0)
  const postgresTotal = counts.reduce((n, c) => n + c.postgres, 0)
  const mismatched = counts.filter((c) => c.sqlite !== c.postgres).length
  const figure = `${counts.length - mismatched}/${counts.length} tables match; ${sqliteTotal} rows (sqlite), ${postgresTotal} rows (postgres)`
  const status = worstStatus(statuses)
  return check("row-counts", status, figure, details, {
    counts,
    rejects: rejects.entries.length
  })
}
