/**
 * The bot's document functions (contract §4.3) with their original names, arguments and row shapes, over
 * DocumentService on the default database. Only argument names and result shapes are mapped here: a write of a
 * missing document resolving (K10) is the mapping of the service's `NotFound`, everything else is the service's.
 */
import { Effect, Option } from "effect"
import { type Document, documentCollaboratorColumns, documentColumns } from "../domain/Document.js"
import type { NotFound } from "../domain/Errors.js"
import { DocumentService } from "../services/DocumentService.js"
import { toLegacyRow } from "./LegacyRow.js"
import { withService } from "./RunOnDefault.js"

/** A row of `documents` as the original declared it (§3.4). At run time every column is present, `null` if empty. */
export interface DocumentRecord {
  id: string
  title: string
  content: string
  /** The creator's user id. */
  created_by: string
  created_by_username?: string
  /** Epoch seconds. */
  created_at: number
  /** Epoch seconds. */
  updated_at: number
  /** 0 or 1; a legacy row may hold `null` (private). */
  is_public: number
  /** JSON text; never written by these functions. */
  metadata?: string
}

/** A row of `document_collaborators` (§3.5). */
export interface DocumentCollaboratorRecord {
  id: string
  document_id: string
  user_id: string
  username?: string
  /** Free text: "owner" for the creator, "editor" unless told otherwise. */
  role: string
  /** Epoch seconds. */
  joined_at: number
}

const legacyDocument = toLegacyRow(documentColumns)
const toRecord = (row: Document) => legacyDocument(row) as DocumentRecord
const legacyCollaborator = toLegacyRow(documentCollaboratorColumns)

// Writes aimed at a missing document resolve, as the original's did (K10); the service reports them as NotFound.
const ignoreNotFound = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E | NotFound, R>) =>
  Effect.asVoid(Effect.catchTag(effect, "NotFound", () => Effect.void))

/**
 * Creates a document (public unless `isPublic` is false) with its creator as the `owner` collaborator, both in one
 * transaction. Resolves to the record as created: the first eight columns, without `metadata` (§4.3).
 */
export async function createDocument(params: {
  title: string
  content?: string | undefined
  createdBy: string
  createdByUsername?: string | undefined
  isPublic?: boolean | undefined
}): Promise<DocumentRecord> {
  return withService(DocumentService, (documents) =>
    Effect.map(
      documents.createDocument({
        title: params.title,
        content: params.content,
        createdBy: params.createdBy,
        createdByUsername: params.createdByUsername,
        isPublic: params.isPublic
      }),
      (created) => {
        const { metadata: _metadata, ...record } = toRecord(created)
        return record
      }
    )
  )
}

/** The document with this id, or `null`. */
export async function getDocument(id: string): Promise<DocumentRecord | null> {
  return withService(DocumentService, (documents) =>
    Effect.map(documents.getDocument(id), (row) => Option.getOrNull(Option.map(row, toRecord)))
  )
}

/** Replaces the content and bumps `updated_at`; an unknown id changes nothing and resolves. */
export async function updateDocumentContent(id: string, content: string): Promise<void> {
  return withService(DocumentService, (documents) => ignoreNotFound(documents.updateDocumentContent(id, content)))
}

/** Replaces the title and bumps `updated_at`; an unknown id changes nothing and resolves. */
export async function updateDocumentTitle(id: string, title: string): Promise<void> {
  return withService(DocumentService, (documents) => ignoreNotFound(documents.updateDocumentTitle(id, title)))
}

/** Deletes the document and its collaborators; an unknown id resolves. */
export async function deleteDocument(id: string): Promise<void> {
  return withService(DocumentService, (documents) => Effect.asVoid(documents.deleteDocument(id)))
}

/**
 * Documents most recently updated first (50 unless `limit` says otherwise; 0 or NaN mean the default), only those
 * `createdBy` created when it is given.
 */
export async function listDocuments(
  params: { createdBy?: string | undefined; limit?: number | undefined; offset?: number | undefined } = {}
): Promise<Array<DocumentRecord>> {
  return withService(DocumentService, (documents) =>
    Effect.map(
      documents.listDocuments({ createdBy: params.createdBy, limit: params.limit, offset: params.offset }),
      (rows) => rows.map(toRecord)
    )
  )
}

/** How many documents there are, or how many `createdBy` created. */
export async function getDocumentCount(params: { createdBy?: string | undefined } = {}): Promise<number> {
  return withService(DocumentService, (documents) => documents.getDocumentCount({ createdBy: params.createdBy }))
}

/**
 * Adds a collaborator ("editor" unless `role` says otherwise), or updates an existing one: a field left out keeps
 * its value and an owner stays owner. Rejects with `NotFound` when the document does not exist.
 */
export async function addCollaborator(params: {
  documentId: string
  userId: string
  username?: string | undefined
  role?: string | undefined
}): Promise<void> {
  return withService(DocumentService, (documents) =>
    Effect.asVoid(
      documents.addCollaborator({
        documentId: params.documentId,
        userId: params.userId,
        username: params.username,
        role: params.role
      })
    )
  )
}

/** Removes the user from the document's collaborators; resolves whether or not they were one. */
export async function removeCollaborator(documentId: string, userId: string): Promise<void> {
  return withService(DocumentService, (documents) => Effect.asVoid(documents.removeCollaborator(documentId, userId)))
}

/** The document's collaborators in the order they joined (`[]` for an unknown document). */
export async function getDocumentCollaborators(documentId: string): Promise<Array<DocumentCollaboratorRecord>> {
  return withService(DocumentService, (documents) =>
    Effect.map(documents.getDocumentCollaborators(documentId), (rows) =>
      rows.map((row) => legacyCollaborator(row) as DocumentCollaboratorRecord)
    )
  )
}

/** Whether the user may open the document: it is public, they created it or they collaborate on it. */
export async function hasDocumentAccess(documentId: string, userId: string): Promise<boolean> {
  return withService(DocumentService, (documents) => documents.hasDocumentAccess(documentId, userId))
}
