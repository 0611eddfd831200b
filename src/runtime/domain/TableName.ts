/** The names of the six tables, as a Schema so that journal entries and CLI arguments are checked. */
import { Schema } from "effect"

export const TableNameSchema = Schema.Literal(
  "messages",
  "queries",
  "documents",
  "document_collaborators",
  "user_profiles",
  "user_analysis_history"
)
