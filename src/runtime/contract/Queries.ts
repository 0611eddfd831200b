/**
 * The bot's query-log functions (contract §4.2) with their original names, arguments and row shapes, over
 * QueryService on the default database. Only argument names and result shapes are mapped here.
 */
import { Effect, Option } from "effect"
import { queryColumns } from "../domain/Query.js"
import { QueryService } from "../services/QueryService.js"
import { toLegacyRow } from "./LegacyRow.js"
import { withService } from "./RunOnDefault.js"

/**
 * A row of `queries` as the original declared it (§3.3). At run time every column is present and an empty one is
 * `null`; `created_at` (epoch seconds) is there too although the original interface omits it.
 */
export interface QueryRecord {
  id: string
  /** Epoch milliseconds. */
  timestamp: number
  user_id: string
  username: string
  query_text: string
  translated_sql?: string
  ai_summary?: string
  /** JSON text: the bot's `JSON.stringify(rows)` reads back as that text (PostgreSQL may order object keys its way). */
  query_result?: string
  /** 0 is stored and returned as 0. */
  result_count?: number
  error?: string
  execution_time_ms?: number
  /** JSON text of the analyzer's sentiment analysis. */
  sentiment_analysis?: string
  query_complexity?: string
  user_satisfaction?: string
}

const legacyQuery = toLegacyRow(queryColumns)
const toRecord = (row: Parameters<typeof legacyQuery>[0]) => legacyQuery(row) as QueryRecord

/** Saves a question and its outcome after analysing it; resolves to the new id. */
export async function saveQuery(params: {
  userId: string
  username: string
  queryText: string
  translatedSql?: string
  aiSummary?: string
  queryResult?: string
  resultCount?: number
  error?: string
  executionTimeMs?: number
}): Promise<string> {
  return withService(QueryService, (queries) =>
    Effect.map(
      queries.saveQuery({
        userId: params.userId,
        username: params.username,
        queryText: params.queryText,
        translatedSql: params.translatedSql,
        aiSummary: params.aiSummary,
        queryResult: params.queryResult,
        resultCount: params.resultCount,
        error: params.error,
        executionTimeMs: params.executionTimeMs
      }),
      (saved) => saved.id
    )
  )
}

/** Queries newest first, optionally one user's, a page at a time (default 50). */
export async function getRecentQueries(params: {
  userId?: string
  limit?: number
  offset?: number
}): Promise<Array<QueryRecord>> {
  return withService(QueryService, (queries) =>
    Effect.map(
      queries.getRecentQueries({ userId: params.userId, limit: params.limit, offset: params.offset }),
      (rows) => rows.map(toRecord)
    )
  )
}

/** The query with this id, or `null`. */
export async function getQueryById(id: string): Promise<QueryRecord | null> {
  return withService(QueryService, (queries) =>
    Effect.map(queries.getQueryById(id), (row) => Option.getOrNull(Option.map(row, toRecord)))
  )
}

/** How many queries there are, optionally one user's. */
export async function getQueryCount(params: { userId?: string }): Promise<number> {
  return withService(QueryService, (queries) => queries.getQueryCount({ userId: params.userId }))
}
