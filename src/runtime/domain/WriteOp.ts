/**
 * A write, decided once. Services compute ids, timestamps and analysis, then describe the change as a WriteOp;
 * each backend applies the identical op. Ops are plain Schema data so the shadow journal can store and replay
 * them, and (but for `IncrementMessageCount`, which the primary turns into an absolute `UpdateProfile`) they are
 * idempotent when applied as a replica.
 */
import { Schema } from "effect"
import { Document, DocumentCollaborator } from "./Document.js"
import { Message } from "./Message.js"
import { Query } from "./Query.js"
import { TableNameSchema } from "./TableName.js"
import { UserAnalysisHistory } from "./UserAnalysisHistory.js"
import { UserProfile } from "./UserProfile.js"

export const InsertMessage = Schema.TaggedStruct("InsertMessage", { row: Message })
export const InsertQuery = Schema.TaggedStruct("InsertQuery", { row: Query })
export const CreateDocument = Schema.TaggedStruct("CreateDocument", {
  document: Document,
  owner: DocumentCollaborator
})
export const UpdateDocument = Schema.TaggedStruct("UpdateDocument", {
  id: Schema.String,
  set: Schema.partial(Document.omit("id"))
})
export const DeleteDocument = Schema.TaggedStruct("DeleteDocument", { id: Schema.String })
/**
 * One row per document and user. Without `merge` (what the primary stored, replicated) the row's values replace
 * the stored ones. With `merge` (a caller's `addCollaborator`, contract F12) the Store decides in the same
 * statement: a null `username` or `role` keeps the stored value (a new row gets no name and the role "editor"),
 * and an owner stays owner. Both forms converge when applied again.
 */
export const UpsertCollaborator = Schema.TaggedStruct("UpsertCollaborator", {
  row: DocumentCollaborator,
  merge: Schema.optional(Schema.Boolean)
})
export const RemoveCollaborator = Schema.TaggedStruct("RemoveCollaborator", {
  documentId: Schema.String,
  userId: Schema.String
})
/**
 * With `ifAbsent`, a user who has a profile already keeps it and nothing is written (rowsAffected 0), so concurrent
 * first calls need no read before the insert (contract F9). As a replica the row is upserted on its id either way.
 */
export const InsertProfile = Schema.TaggedStruct("InsertProfile", {
  row: UserProfile,
  ifAbsent: Schema.optional(Schema.Boolean)
})
export const UpdateProfile = Schema.TaggedStruct("UpdateProfile", {
  userId: Schema.String,
  set: Schema.partial(UserProfile.omit("id", "user_id"))
})
export const IncrementMessageCount = Schema.TaggedStruct("IncrementMessageCount", {
  userId: Schema.String,
  at: Schema.Number
})
export const InsertAnalysisHistory = Schema.TaggedStruct("InsertAnalysisHistory", { row: UserAnalysisHistory })
/** Repair: make one row of a table equal to the given (already decoded) row, inserting it if missing. */
export const UpsertRow = Schema.TaggedStruct("UpsertRow", {
  table: TableNameSchema,
  row: Schema.Record({ key: Schema.String, value: Schema.Unknown })
})

export const WriteOp = Schema.Union(
  InsertMessage,
  InsertQuery,
  CreateDocument,
  UpdateDocument,
  DeleteDocument,
  UpsertCollaborator,
  RemoveCollaborator,
  InsertProfile,
  UpdateProfile,
  IncrementMessageCount,
  InsertAnalysisHistory,
  UpsertRow
)
export type WriteOp = typeof WriteOp.Type

/**
 * The aggregate a write belongs to. Writes to one aggregate must reach a replica in the order they were issued;
 * writes to different aggregates may go concurrently.
 */
export const aggregateKey = (op: WriteOp): string => {
  switch (op._tag) {
    case "InsertMessage":
      return `message:${op.row.id}`
    case "InsertQuery":
      return `query:${op.row.id}`
    case "CreateDocument":
      return `document:${op.document.id}`
    case "UpdateDocument":
    case "DeleteDocument":
      return `document:${op.id}`
    case "UpsertCollaborator":
      return `document:${op.row.document_id}`
    case "RemoveCollaborator":
      return `document:${op.documentId}`
    case "InsertProfile":
      return `profile:${op.row.user_id}`
    case "UpdateProfile":
    case "IncrementMessageCount":
      return `profile:${op.userId}`
    case "InsertAnalysisHistory":
      return `profile:${op.row.user_id}`
    case "UpsertRow":
      return upsertRowKey(op.table, op.row)
  }
}

/** A repaired row orders with the live writes of its aggregate: the same keys as the ops above. */
const upsertRowKey = (table: typeof TableNameSchema.Type, row: Readonly<Record<string, unknown>>): string => {
  switch (table) {
    case "messages":
      return `message:${String(row["id"])}`
    case "queries":
      return `query:${String(row["id"])}`
    case "documents":
      return `document:${String(row["id"])}`
    case "document_collaborators":
      return `document:${String(row["document_id"])}`
    case "user_profiles":
    case "user_analysis_history":
      return `profile:${String(row["user_id"])}`
  }
}

/** What applying a write did, and the op a replica must apply to end in the same state. */
export interface AppliedWrite {
  readonly rowsAffected: number
  readonly replicate: WriteOp
}
