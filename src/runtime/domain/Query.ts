/**
 * A row of `queries`: a natural-language question the bot turned into SQL.
 * `timestamp` is epoch MILLISECONDS (legacy `Date.now()`); `created_at` is epoch SECONDS.
 */
import { nullable, required, rowSchema } from "./Column.js"

export const queryColumns = {
  id: required("text"),
  timestamp: required("epochMillis"),
  user_id: required("text"),
  username: required("text"),
  query_text: required("text"),
  translated_sql: nullable("text"),
  ai_summary: nullable("text"),
  query_result: nullable("json"),
  result_count: nullable("integer"),
  error: nullable("text"),
  execution_time_ms: nullable("integer"),
  sentiment_analysis: nullable("json"),
  query_complexity: nullable("text"),
  user_satisfaction: nullable("text"),
  created_at: nullable("epochSeconds")
} as const

export const Query = rowSchema(queryColumns).annotations({ identifier: "Query" })
export type Query = typeof Query.Type
