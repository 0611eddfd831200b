/**
 * "JSONB queries work": the guide's lookup `metadata->>'key' = 'value'` runs on PostgreSQL for a key and value
 * sampled from the data, must find the sampled message, and must return the same ids as the equivalent
 * `json_extract` on SQLite (where invalid JSON text is skipped rather than raising an error).
 */
import type { SqlClient, SqlError, Statement } from "@effect/sql"
import { Effect } from "effect"
import type { Databases } from "../Databases.js"
import { compareKeys } from "../KeyOrder.js"
import type { RecordedRejects } from "../Rejects.js"
import { check, type CheckResult } from "../VerifyReport.js"
import type { JsonbSample } from "./Samples.js"

/** Ids compared per side: both sides order by id (byte order), so equal results have equal prefixes. */
const lookupLimit = 1000

export interface JsonbFindings {
  readonly sample: JsonbSample
  /** Rows the lookup matches on each side. */
  readonly postgresCount: number
  readonly sqliteCount: number
  /** Of those, rows that are recorded rejects (absent on the other side for a known reason). */
  readonly postgresRejected: number
  readonly sqliteRejected: number
  /** Whether PostgreSQL's lookup finds the message the key and value were sampled from. */
  readonly findsSample: boolean
  /** The first matching ids on each side, in key order. */
  readonly postgresIds: ReadonlyArray<string>
  readonly sqliteIds: ReadonlyArray<string>
}

const jsonPath = (key: string) => `$."${key.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`

/** Rejected message ids looked up; a larger list of rejects leaves the rest unexplained. */
const rejectedLookupCap = 10_000

const countAmong = (
  sql: SqlClient.SqlClient,
  match: Statement.Fragment,
  ids: ReadonlyArray<string>
): Effect.Effect<number, SqlError.SqlError> =>
  Effect.reduce(chunksOf(ids, 500), 0, (total, chunk) =>
    Effect.map(
      sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM messages WHERE ${match} AND ${sql.in("id", chunk)}`,
      (rows) => total + Number(rows[0]?.n ?? 0)
    )
  )

const chunksOf = <A>(items: ReadonlyArray<A>, n: number): ReadonlyArray<ReadonlyArray<A>> =>
  Array.from({ length: Math.ceil(items.length / n) }, (_, i) => items.slice(i * n, i * n + n))

export const runJsonbLookups = (
  db: Databases,
  sample: JsonbSample,
  rejects: RecordedRejects
): Effect.Effect<JsonbFindings, SqlError.SqlError> =>
  Effect.gen(function* () {
    const rejected = rejects.entries
      .filter((e) => e.table === "messages")
      .slice(0, rejectedLookupCap)
      .map((e) => e.key)
    const pg = db.postgres
    const sqlite = db.sqlite
    const pgMatch = pg`metadata->>${sample.key} = ${sample.value}`
    // Invalid JSON text (legacy free text) would make json_extract raise: it simply does not match.
    const sqliteMatch = sqlite`CAST(CASE WHEN json_valid(metadata) THEN json_extract(metadata, ${jsonPath(sample.key)}) END AS TEXT) = ${sample.value}`
    const pgCount = yield* pg<{ n: number | string }>`SELECT COUNT(*) AS n FROM messages WHERE ${pgMatch}`
    const sqliteCount = yield* sqlite<{ n: number | string }>`SELECT COUNT(*) AS n FROM messages WHERE ${sqliteMatch}`
    const found = yield* pg`SELECT 1 AS found FROM messages WHERE ${pgMatch} AND id = ${sample.messageId}`
    const pgIds = yield* pg<{ id: string }>`SELECT id FROM messages WHERE ${pgMatch} ORDER BY id LIMIT ${lookupLimit}`
    const sqliteIds = yield* sqlite<{ id: string }>`SELECT id FROM messages WHERE ${sqliteMatch}
      ORDER BY id LIMIT ${lookupLimit}`
    return {
      sample,
      postgresCount: Number(pgCount[0]?.n ?? 0),
      sqliteCount: Number(sqliteCount[0]?.n ?? 0),
      postgresRejected: yield* countAmong(pg, pgMatch, rejected),
      sqliteRejected: yield* countAmong(sqlite, sqliteMatch, rejected),
      findsSample: found.length > 0,
      postgresIds: pgIds.map((r) => r.id),
      sqliteIds: sqliteIds.map((r) => String(r.id))
    }
  })

export const jsonbCheck = (
  findings: JsonbFindings | undefined,
  rejects: RecordedRejects,
  sampleKeys: number
): CheckResult => {
  if (findings === undefined) return check("jsonb", "skip", "not measured: no message has a metadata object to sample")
  const { sample, postgresIds, sqliteIds } = findings
  const query = `metadata->>'${sample.key}' = '${sample.value}'`
  const problems: Array<string> = []
  if (!findings.findsSample) {
    problems.push(`postgres: ${query} does not find ${sample.messageId}, whose metadata has it`)
  }
  // Rejected rows exist on one side only: they account for a difference in the counts, and nothing else may.
  const explainedCounts = findings.postgresRejected !== findings.sqliteRejected
  if (findings.postgresCount - findings.postgresRejected !== findings.sqliteCount - findings.sqliteRejected) {
    problems.push(
      `${findings.postgresCount} match(es) on postgres, ${findings.sqliteCount} on sqlite (json_extract)` +
        (explainedCounts
          ? `, of which recorded rejects: ${findings.postgresRejected} and ${findings.sqliteRejected}`
          : "")
    )
  }
  const pSet = new Set(postgresIds)
  const sSet = new Set(sqliteIds)
  // Within the compared prefix: an id beyond the other side's last one may just be past its limit.
  const pLast = postgresIds[postgresIds.length - 1]
  const sLast = sqliteIds[sqliteIds.length - 1]
  const within = (id: string, last: string | undefined, full: boolean) =>
    full || (last !== undefined && compareKeys(id, last) <= 0)
  const known = (id: string) => rejects.has("messages", id)
  const onlyPostgres = postgresIds.filter(
    (id) => !sSet.has(id) && !known(id) && within(id, sLast, sqliteIds.length < lookupLimit)
  )
  const onlySqlite = sqliteIds.filter(
    (id) => !pSet.has(id) && !known(id) && within(id, pLast, postgresIds.length < lookupLimit)
  )
  if (onlyPostgres.length > 0) problems.push(`only on postgres: ${onlyPostgres.slice(0, sampleKeys).join(", ")}`)
  if (onlySqlite.length > 0)
    problems.push(`only on sqlite (json_extract): ${onlySqlite.slice(0, sampleKeys).join(", ")}`)
  const figure =
    `${query}: ${findings.postgresCount} row(s) on postgres, ${findings.sqliteCount} on sqlite` +
    (problems.length > 0 ? "" : explainedCounts ? ", same ids but for recorded rejects" : ", same ids")
  const notes = explainedCounts
    ? [
        `recorded rejects among the matches: ${findings.sqliteRejected} on sqlite, ${findings.postgresRejected} on postgres`
      ]
    : []
  const status = problems.length > 0 ? "fail" : explainedCounts ? "warn" : "pass"
  return check("jsonb", status, figure, [...problems, ...notes], findings)
}
