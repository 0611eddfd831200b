/**
 * Rows of `documents` and `document_collaborators`. Every time column is epoch SECONDS.
 * `is_public` is a boolean (INTEGER 0/1 in SQLite); legacy rows may hold NULL, kept as `null`.
 */
import { Schema } from "effect"
import { nullable, required, rowSchema } from "./Column.js"

export const documentColumns = {
  id: required("text"),
  title: required("text"),
  content: required("text"),
  created_by: required("text"),
  created_by_username: nullable("text"),
  created_at: nullable("epochSeconds"),
  updated_at: nullable("epochSeconds"),
  is_public: nullable("boolean"),
  metadata: nullable("json")
} as const

export const Document = rowSchema(documentColumns).annotations({ identifier: "Document" })
export type Document = typeof Document.Type

export const CollaboratorRole = Schema.Literal("owner", "editor", "viewer")
export type CollaboratorRole = typeof CollaboratorRole.Type

/** The role of a collaborator added without one (the column default, contract K18). */
export const defaultCollaboratorRole = "editor"

/** The creator's role, never taken from them by adding them again (contract F12). */
export const ownerRole = "owner"

export const documentCollaboratorColumns = {
  id: required("text"),
  document_id: required("text"),
  user_id: required("text"),
  username: nullable("text"),
  role: nullable("text"),
  joined_at: nullable("epochSeconds")
} as const

export const DocumentCollaborator = rowSchema(documentCollaboratorColumns).annotations({
  identifier: "DocumentCollaborator"
})
export type DocumentCollaborator = typeof DocumentCollaborator.Type
