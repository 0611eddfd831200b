/**
 * The six tables as data: columns, key, parent, and the legacy defaults. The migration programs (export, import,
 * copy, verify, repair) and the row codecs all read this registry. The schema migrations do not: they are frozen
 * SQL (src/runtime/schema), so adding a column here also takes a new schema migration that adds it.
 */
import type { Columns } from "./Column.js"
import type { TableNameSchema } from "./TableName.js"
import { documentCollaboratorColumns, documentColumns } from "./Document.js"
import { messageColumns } from "./Message.js"
import { queryColumns } from "./Query.js"
import { userAnalysisHistoryColumns } from "./UserAnalysisHistory.js"
import { userProfileColumns } from "./UserProfile.js"

export type TableName = typeof TableNameSchema.Type

export interface ForeignKey {
  readonly column: string
  readonly parent: TableName
  readonly parentColumn: string
}

export interface Table<C extends Columns = Columns> {
  readonly name: TableName
  readonly columns: C
  /** Always `id` (TEXT) in the legacy schema; pagination, checksums and upserts key on it. */
  readonly primaryKey: "id"
  readonly foreignKey?: ForeignKey
  /** Column defaults of the legacy schema, by column: "now" is the current epoch second. */
  readonly defaults?: Readonly<Record<string, number | string | boolean>>
}

const table = <C extends Columns>(t: Table<C>): Table<C> => t

export const messagesTable = table({
  name: "messages",
  columns: messageColumns,
  primaryKey: "id",
  defaults: { created_at: "now" }
})

export const queriesTable = table({
  name: "queries",
  columns: queryColumns,
  primaryKey: "id",
  defaults: { created_at: "now" }
})

export const documentsTable = table({
  name: "documents",
  columns: documentColumns,
  primaryKey: "id",
  defaults: { content: "", created_at: "now", updated_at: "now", is_public: true }
})

export const documentCollaboratorsTable = table({
  name: "document_collaborators",
  columns: documentCollaboratorColumns,
  primaryKey: "id",
  foreignKey: { column: "document_id", parent: "documents", parentColumn: "id" },
  defaults: { role: "editor", joined_at: "now" }
})

export const userProfilesTable = table({
  name: "user_profiles",
  columns: userProfileColumns,
  primaryKey: "id",
  defaults: { appearance_confidence: 0, message_count: 0, created_at: "now", updated_at: "now" }
})

export const userAnalysisHistoryTable = table({
  name: "user_analysis_history",
  columns: userAnalysisHistoryColumns,
  primaryKey: "id",
  foreignKey: { column: "user_id", parent: "user_profiles", parentColumn: "user_id" },
  defaults: { created_at: "now" }
})

/** Parents before children: the order to create, load and copy in. */
export const tables: ReadonlyArray<Table> = [
  messagesTable,
  queriesTable,
  documentsTable,
  documentCollaboratorsTable,
  userProfilesTable,
  userAnalysisHistoryTable
]

export const tableByName = (name: string): Table | undefined => tables.find((t) => t.name === name)
