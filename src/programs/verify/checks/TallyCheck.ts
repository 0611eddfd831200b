/**
 * "Counts kept as tallies match the rows": on each database, every tally of `row_tallies` (PostgreSQL migration 10,
 * SQLite migration 7) equals the count of the rows it stands for. The triggers keep them so; a load stopped
 * before it recounted, or rows written with the triggers off (a tool that sets `session_replication_role` to
 * replica, a session with `omega.skip_tallies` on), leave them wrong, and the bot's counts with them. One scan of
 * each tallied table per database; `omega-db repair` recounts a table whose tallies drifted.
 */
import type { SqlClient, SqlError } from "@effect/sql"
import { Effect } from "effect"
import type { Backend } from "../../../runtime/domain/Errors.js"
import { countedTallies, type TalliedTable, talliedTables } from "../../../runtime/schema/CurrentSchema.js"
import type { Databases } from "../Databases.js"
import { check, type CheckResult } from "../VerifyReport.js"

/** Drifted tallies kept per table and database, for the report. */
const driftCap = 100

export interface TallyDrift {
  readonly backend: Backend
  readonly table: TalliedTable
  readonly dimension: string
  readonly key: string
  readonly tallied: number
  readonly counted: number
}

export interface TallyFindings {
  /** Tallies compared (those counted from the rows, and those kept), per database. */
  readonly compared: Readonly<Record<Backend, number>>
  readonly drifts: ReadonlyArray<TallyDrift>
}

/** The tallies of `table` that differ from their rows' count (a missing tally counts 0). */
const driftsOf = (backend: Backend, sql: SqlClient.SqlClient, table: TalliedTable) =>
  Effect.all({
    drifts: sql.unsafe<{ dimension: string; key: string; tallied: number | string; counted: number | string }>(
      `SELECT coalesce(c.dimension, t.dimension) AS dimension, coalesce(c.key, t.key) AS key,
         coalesce(t.n, 0) AS tallied, coalesce(c.n, 0) AS counted
       FROM (${countedTallies(backend, table)}) AS c
       FULL OUTER JOIN (SELECT dimension, key, n FROM row_tallies WHERE dimension LIKE '${table}.%') AS t
         ON t.dimension = c.dimension AND t.key = c.key
       WHERE coalesce(t.n, 0) <> coalesce(c.n, 0)
       ORDER BY 1, 2 LIMIT ${driftCap}`
    ),
    compared: sql.unsafe<{ n: number | string }>(
      `SELECT count(*) AS n FROM row_tallies WHERE dimension LIKE '${table}.%'`
    )
  }).pipe(
    Effect.map(({ compared, drifts }) => ({
      compared: Number(compared[0]?.n ?? 0),
      drifts: drifts.map((d): TallyDrift => ({
        backend,
        table,
        dimension: d.dimension,
        key: d.key,
        tallied: Number(d.tallied),
        counted: Number(d.counted)
      }))
    }))
  )

const inspectBackend = (backend: Backend, sql: SqlClient.SqlClient) =>
  Effect.map(
    Effect.forEach(talliedTables, (table) => driftsOf(backend, sql, table)),
    (perTable) => ({
      compared: perTable.reduce((n, t) => n + t.compared, 0),
      drifts: perTable.flatMap((t) => t.drifts)
    })
  )

export const inspectTallies = (db: Databases): Effect.Effect<TallyFindings, SqlError.SqlError> =>
  Effect.map(
    Effect.all({ sqlite: inspectBackend("sqlite", db.sqlite), postgres: inspectBackend("postgres", db.postgres) }),
    ({ postgres, sqlite }) => ({
      compared: { sqlite: sqlite.compared, postgres: postgres.compared },
      drifts: [...sqlite.drifts, ...postgres.drifts]
    })
  )

/** The tables whose tallies drifted on `backend`: what repair recounts. */
export const driftedTables = (findings: TallyFindings, backend: Backend): ReadonlyArray<TalliedTable> =>
  talliedTables.filter((table) => findings.drifts.some((d) => d.backend === backend && d.table === table))

/** True when some table's drifts on some database were cut at `driftCap`: there are more than listed. */
const capped = (findings: TallyFindings) => {
  const perGroup = new Map<string, number>()
  for (const d of findings.drifts)
    perGroup.set(`${d.backend}/${d.table}`, (perGroup.get(`${d.backend}/${d.table}`) ?? 0) + 1)
  return [...perGroup.values()].some((n) => n >= driftCap)
}

export const tallyCheck = (findings: TallyFindings, sampleKeys: number): CheckResult => {
  const details = findings.drifts
    .slice(0, sampleKeys)
    .map(
      (d) =>
        `${d.backend}: ${d.dimension} ${JSON.stringify(d.key)} is tallied ${d.tallied}, its rows count ${d.counted}`
    )
  if (findings.drifts.length > 0) details.push("`omega-db repair` recounts them from the rows")
  const figure =
    `${findings.compared.sqlite} tallies on sqlite, ${findings.compared.postgres} on postgres; ` +
    `${findings.drifts.length}${capped(findings) ? "+" : ""} differ from their rows`
  return check("tallies", findings.drifts.length > 0 ? "fail" : "pass", figure, details, findings)
}
