/**
 * Why a data migration program (export, import, copy) stopped. Each error names what the operator has to look at
 * (the file, the table) in its message, which the CLI prints as one line. Rows that cannot be loaded are not
 * errors: they go to the rejects file and the summary counts them.
 */
import { Schema } from "effect"

/** The SQLite source cannot be read: missing file, not a database, not the bot's schema. */
export class SourceError extends Schema.TaggedError<SourceError>()("SourceError", {
  path: Schema.String,
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

/** An export directory that cannot be used: missing or corrupt files, metadata that does not match them. */
export class ExportInvalid extends Schema.TaggedError<ExportInvalid>()("ExportInvalid", {
  path: Schema.String,
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

/** A file this program writes (export files, the rejects file) cannot be written. */
export class OutputError extends Schema.TaggedError<OutputError>()("OutputError", {
  path: Schema.String,
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

/** PostgreSQL failed in a way that is not about one row (connection lost, permission, schema missing). */
export class LoadError extends Schema.TaggedError<LoadError>()("LoadError", {
  table: Schema.String,
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

/** A table name given by the caller that is not one of the six. */
export class UnknownTable extends Schema.TaggedError<UnknownTable>()("UnknownTable", {
  table: Schema.String
}) {
  override get message() {
    return `unknown table "${this.table}": expected one of messages, queries, documents, document_collaborators, user_profiles, user_analysis_history`
  }
}

export type DataMigrationError = SourceError | ExportInvalid | OutputError | LoadError | UnknownTable

export const causeMessage = (cause: unknown): string =>
  cause instanceof Error && cause.message ? cause.message : String(cause)
