/**
 * "EXPLAIN shows the timeline and search queries use their indexes". On a small table the planner rightly
 * prefers a sequential scan, which proves nothing either way; so the plan that decides is taken inside a
 * transaction with `SET LOCAL enable_seqscan = off`, which shows whether the index is *usable* for the query as
 * the Store writes it (an expression that drifted from the index definition would still need a scan). The
 * planner's natural choice is reported beside it.
 */
import type { SqlClient, SqlError } from "@effect/sql"
import { Effect } from "effect"
import { pgSearchVector } from "../../../runtime/store/SqlStore.js"
import type { Databases } from "../Databases.js"
import { check, type CheckResult } from "../VerifyReport.js"
import type { Samples } from "./Samples.js"

interface PlanNode {
  readonly "Node Type"?: string
  readonly "Index Name"?: string
  readonly Plans?: ReadonlyArray<PlanNode>
}

/** The scans of a plan, as "Node Type on index" (or just the node type for scans without an index). */
export const scansOf = (node: PlanNode): ReadonlyArray<string> => {
  const own = node["Node Type"]?.includes("Scan")
    ? [node["Index Name"] === undefined ? node["Node Type"] : `${node["Node Type"]} on ${node["Index Name"]}`]
    : []
  return [...own, ...(node.Plans ?? []).flatMap(scansOf)]
}

const planRoot = (rows: ReadonlyArray<Record<string, unknown>>): PlanNode => {
  const raw = rows[0]?.["QUERY PLAN"]
  const document: unknown = typeof raw === "string" ? JSON.parse(raw) : raw
  const first = Array.isArray(document) ? (document[0] as { Plan?: PlanNode } | undefined) : undefined
  return first?.Plan ?? {}
}

const explain = (pg: SqlClient.SqlClient, query: "timeline" | "search", arg: string, forceIndex: boolean) => {
  const statement =
    query === "timeline"
      ? pg`EXPLAIN (FORMAT JSON) SELECT * FROM messages WHERE user_id = ${arg}
          ORDER BY timestamp DESC, id DESC LIMIT 100 OFFSET 0`
      : pg`EXPLAIN (FORMAT JSON) SELECT * FROM messages
          WHERE ${pg.literal(pgSearchVector)} @@ plainto_tsquery('simple', ${arg})
          ORDER BY timestamp DESC, id DESC LIMIT 100 OFFSET 0`
  const plan = Effect.map(statement, (rows) => scansOf(planRoot(rows)))
  return forceIndex ? pg.withTransaction(Effect.zipRight(pg`SET LOCAL enable_seqscan = off`, plan)) : plan
}

export interface PlanFindings {
  readonly query: "timeline" | "search"
  readonly expected: ReadonlyArray<string>
  readonly withoutSeqScan: ReadonlyArray<string>
  readonly natural: ReadonlyArray<string>
  readonly usesIndex: boolean
}

const expectedIndexes = {
  // Either serves "a user's latest messages": the user's rows by index, or the newest rows walked backwards.
  timeline: ["idx_messages_user_id", "idx_messages_timestamp"],
  search: ["idx_messages_fts"]
} as const

export const inspectPlans = (
  db: Databases,
  samples: Samples
): Effect.Effect<ReadonlyArray<PlanFindings>, SqlError.SqlError> =>
  Effect.forEach(
    [
      { query: "timeline" as const, arg: samples.userId ?? "no-such-user" },
      { query: "search" as const, arg: samples.words[0] ?? "word" }
    ],
    ({ query, arg }) =>
      Effect.gen(function* () {
        const withoutSeqScan = yield* explain(db.postgres, query, arg, true)
        const natural = yield* explain(db.postgres, query, arg, false)
        const expected = expectedIndexes[query]
        const usesIndex = withoutSeqScan.some((scan) => expected.some((index) => scan.endsWith(` on ${index}`)))
        return { query, expected, withoutSeqScan, natural, usesIndex }
      })
  )

export const queryPlanCheck = (findings: ReadonlyArray<PlanFindings>): CheckResult => {
  const figure = findings.map((f) => `${f.query}: ${f.withoutSeqScan.join(" + ") || "no scan"}`).join("; ")
  const details = findings.flatMap((f) => [
    ...(f.usesIndex ? [] : [`${f.query} does not use ${f.expected.join(" or ")} even with sequential scans disabled`]),
    `${f.query}, planner's own choice on this data: ${f.natural.join(" + ") || "no scan"}`
  ])
  return check("query-plans", findings.every((f) => f.usesIndex) ? "pass" : "fail", figure, details, findings)
}
