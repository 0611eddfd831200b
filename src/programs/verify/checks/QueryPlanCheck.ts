/**
 * "EXPLAIN shows the bot's reads use their indexes": the plan of each read of BotReads.ts, explained from the very
 * statement the Store sends, must scan one of the indexes that serve it. What serves a read is its order, not a
 * particular index: a search for a common word is rightly answered by walking the timeline's index and testing
 * each row's stored vector, a rare one by the GIN index, and both count as served.
 *
 * On a small table the planner rightly prefers a sequential scan, which proves nothing either way; so the plan
 * that decides is taken inside a transaction with `SET LOCAL enable_seqscan = off`, which shows whether a serving
 * index is *usable* for the read as the Store writes it. A search must also be able to use the GIN index at all
 * (planned once more without the whole-table condition): otherwise a rare word would walk the whole timeline. A
 * plan that computes `messages_search_vector()` row by row instead of reading the stored column fails. The
 * planner's natural choice is reported beside each.
 */
import { type SqlClient, type SqlError, Statement } from "@effect/sql"
import { Effect } from "effect"
import type { StoreError } from "../../../runtime/domain/Errors.js"
import { pgSearchIndexName, pgWholeTable } from "../../../runtime/schema/CurrentSchema.js"
import type { Databases } from "../Databases.js"
import { check, type CheckResult } from "../VerifyReport.js"
import { type BotRead, type ReadArguments, readsOfTheBot, sampleReadArguments } from "./BotReads.js"
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

/** The statements `effect` sends, compiled, in order (it runs: the reads are cheap). */
export const statementsOf = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const sent: Array<readonly [string, ReadonlyArray<unknown>]> = []
    yield* effect.pipe(
      Statement.withTransformer((statement) =>
        Effect.sync(() => {
          sent.push(statement.compile())
          return statement
        })
      )
    )
    return sent
  })

type Planner = "natural" | "noSeqScan"

interface Plan {
  readonly scans: ReadonlyArray<string>
  /** The plan computes the search vector from the text instead of reading the stored column. */
  readonly recomputes: boolean
}

const explain = (pg: SqlClient.SqlClient, [text, params]: readonly [string, ReadonlyArray<unknown>], as: Planner) => {
  const plan = Effect.map(
    pg.unsafe<Record<string, unknown>>(`EXPLAIN (FORMAT JSON) ${text}`, [...params]),
    (rows): Plan => ({
      scans: scansOf(planRoot(rows)),
      recomputes: JSON.stringify(rows).includes("messages_search_vector(")
    })
  )
  return as === "natural" ? plan : pg.withTransaction(Effect.zipRight(pg`SET LOCAL enable_seqscan = off`, plan))
}

/**
 * The statement with the whole-table condition (CurrentSchema.pgWholeTable) taken out: without it no index gives
 * the rows in time order, so with sequential scans off only the search itself can narrow them, through the GIN
 * index if the Store's search condition is one that index covers.
 */
const searchOnly = ([text, params]: readonly [string, ReadonlyArray<unknown>]) =>
  [text.replaceAll(pgWholeTable, "TRUE"), params] as const

export interface PlanFindings {
  readonly query: string
  readonly expected: ReadonlyArray<string>
  readonly withoutSeqScan: ReadonlyArray<string>
  readonly natural: ReadonlyArray<string>
  /** For the search that needs it: the scans when only the search can narrow the rows (the GIN index must serve). */
  readonly searchOnly?: ReadonlyArray<string>
  readonly recomputesVector: boolean
  readonly usesIndex: boolean
}

const servedBy = (scans: ReadonlyArray<string>, indexes: ReadonlyArray<string>) =>
  scans.some((scan) => indexes.some((index) => scan.endsWith(` on ${index}`)))

const inspectRead = (db: Databases, read: BotRead, args: ReadArguments) =>
  Effect.gen(function* () {
    const sent = yield* statementsOf(read.run(db.postgresStore, args))
    const statement = sent.at(-1) ?? ["SELECT 1", []]
    const forced = yield* explain(db.postgres, statement, "noSeqScan")
    const natural = yield* explain(db.postgres, statement, "natural")
    const bitmap =
      read.needsSearchIndex === true ? yield* explain(db.postgres, searchOnly(statement), "noSeqScan") : undefined
    const recomputesVector = forced.recomputes || natural.recomputes
    const usesIndex =
      servedBy(forced.scans, read.servedBy) &&
      (bitmap === undefined || servedBy(bitmap.scans, [pgSearchIndexName])) &&
      !recomputesVector
    const findings: PlanFindings = {
      query: `${read.name}: ${read.describe(args)}`,
      expected: read.servedBy,
      withoutSeqScan: forced.scans,
      natural: natural.scans,
      ...(bitmap === undefined ? {} : { searchOnly: bitmap.scans }),
      recomputesVector,
      usesIndex
    }
    return findings
  })

export const inspectPlans = (
  db: Databases,
  samples: Samples
): Effect.Effect<ReadonlyArray<PlanFindings>, SqlError.SqlError | StoreError> =>
  Effect.gen(function* () {
    const [args] = yield* sampleReadArguments(db.postgres, samples)
    if (args === undefined) return []
    return yield* Effect.forEach(readsOfTheBot, (read) => inspectRead(db, read, args))
  })

const problemsOf = (f: PlanFindings): ReadonlyArray<string> => [
  ...(servedBy(f.withoutSeqScan, f.expected)
    ? []
    : [`${f.query} does not use ${f.expected.join(" or ")} even with sequential scans disabled`]),
  ...(f.searchOnly === undefined || servedBy(f.searchOnly, [pgSearchIndexName])
    ? []
    : [`${f.query} cannot use ${pgSearchIndexName}: ${f.searchOnly.join(" + ") || "no scan"}`]),
  ...(f.recomputesVector ? [`${f.query} computes messages_search_vector() row by row, not the stored column`] : [])
]

export const queryPlanCheck = (findings: ReadonlyArray<PlanFindings>): CheckResult => {
  const served = findings.filter((f) => f.usesIndex).length
  const figure = `${served}/${findings.length} reads on an index that serves them`
  const details = findings.flatMap((f) => [
    ...problemsOf(f),
    `${f.query}: ${f.withoutSeqScan.join(" + ") || "no scan"} (planner's own choice on this data: ${
      f.natural.join(" + ") || "no scan"
    })`
  ])
  return check(
    "query-plans",
    findings.length > 0 && served === findings.length ? "pass" : "fail",
    figure,
    details,
    findings
  )
}
