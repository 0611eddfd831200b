/** A row of `user_analysis_history`: one snapshot of a profile analysis. Time columns are epoch SECONDS. */
import { nullable, required, rowSchema } from "./Column.js"

export const userAnalysisHistoryColumns = {
  id: required("text"),
  user_id: required("text"),
  analysis_timestamp: required("epochSeconds"),
  feelings_snapshot: nullable("json"),
  personality_snapshot: nullable("json"),
  message_count_at_analysis: nullable("integer"),
  changes_summary: nullable("text"),
  created_at: nullable("epochSeconds")
} as const

export const UserAnalysisHistory = rowSchema(userAnalysisHistoryColumns).annotations({
  identifier: "UserAnalysisHistory"
})
export type UserAnalysisHistory = typeof UserAnalysisHistory.Type
