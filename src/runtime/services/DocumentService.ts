/**
 * Collaborative documents and who may work on them. Creating a document makes its creator the `owner`
 * collaborator in the same transaction; deleting it removes its collaborators with it.
 * Access: a user may open a document that is public, that they created, or that they collaborate on.
 */
import { Context, Effect, Layer, type Option, Schema } from "effect"
import { type Document, type DocumentCollaborator, ownerRole } from "../domain/Document.js"
import { type InvalidInput, NotFound, type StoreError } from "../domain/Errors.js"
import { JsonValue } from "../domain/JsonValue.js"
import { pageFields } from "../domain/PageLimits.js"
import { IdGenerator } from "./IdGenerator.js"
import { NonBlankString, nowSeconds, validate } from "./internal/validate.js"
import { StoreRouter } from "./StoreRouter.js"

export const CreateDocumentInput = Schema.Struct({
  title: NonBlankString("title"),
  /** Empty when left out. */
  content: Schema.optional(Schema.NullOr(Schema.String)),
  createdBy: NonBlankString("createdBy"),
  createdByUsername: Schema.optional(Schema.NullOr(Schema.String)),
  /** Public when left out, as the column default says (contract F11). */
  isPublic: Schema.optional(Schema.NullOr(Schema.Boolean)),
  metadata: Schema.optional(JsonValue)
})
export type CreateDocumentInput = typeof CreateDocumentInput.Encoded

export const AddCollaboratorInput = Schema.Struct({
  documentId: NonBlankString("documentId"),
  userId: NonBlankString("userId"),
  /** Left out (or null): a new collaborator has none, an existing one keeps theirs. */
  username: Schema.optional(Schema.NullOr(Schema.String)),
  /**
   * Free text, as the bot's callers use it ("owner", "editor", "admin", ...). Left out (or empty): a new
   * collaborator is an "editor", an existing one keeps their role.
   */
  role: Schema.optional(Schema.NullOr(Schema.String))
})
export type AddCollaboratorInput = typeof AddCollaboratorInput.Encoded

export const DocumentFilter = Schema.Struct({
  /** Only documents this user created. */
  createdBy: Schema.optional(Schema.NullOr(Schema.String)),
  /** Only documents this user created or collaborates on. */
  userId: Schema.optional(Schema.NullOr(Schema.String))
})

/** Listing defaults to 50 documents (contract K9). */
export const ListDocumentsOptions = Schema.Struct({ ...DocumentFilter.fields, ...pageFields(50) })

export interface DocumentServiceShape {
  readonly createDocument: (input: CreateDocumentInput) => Effect.Effect<Document, InvalidInput | StoreError>
  readonly getDocument: (id: string) => Effect.Effect<Option.Option<Document>, StoreError>
  readonly updateDocumentContent: (
    id: string,
    content: string
  ) => Effect.Effect<void, InvalidInput | NotFound | StoreError>
  readonly updateDocumentTitle: (id: string, title: string) => Effect.Effect<void, InvalidInput | NotFound | StoreError>
  /** True when the document existed. Its collaborators go with it. */
  readonly deleteDocument: (id: string) => Effect.Effect<boolean, StoreError>
  /** Most recently updated first; among equal times the newest document first. */
  readonly listDocuments: (
    options?: typeof ListDocumentsOptions.Encoded
  ) => Effect.Effect<ReadonlyArray<Document>, InvalidInput | StoreError>
  readonly getDocumentCount: (
    filter?: typeof DocumentFilter.Encoded
  ) => Effect.Effect<number, InvalidInput | StoreError>
  /**
   * Adds a collaborator, or updates the role and name of an existing one (one row per document and user). A
   * field left out keeps its stored value, and an owner stays owner (contract F12).
   */
  readonly addCollaborator: (
    input: AddCollaboratorInput
  ) => Effect.Effect<DocumentCollaborator, InvalidInput | NotFound | StoreError>
  /** True when the user was a collaborator. */
  readonly removeCollaborator: (documentId: string, userId: string) => Effect.Effect<boolean, StoreError>
  readonly getDocumentCollaborators: (
    documentId: string
  ) => Effect.Effect<ReadonlyArray<DocumentCollaborator>, StoreError>
  readonly hasDocumentAccess: (documentId: string, userId: string) => Effect.Effect<boolean, StoreError>
}

export class DocumentService extends Context.Tag("@repo/database/DocumentService")<
  DocumentService,
  DocumentServiceShape
>() {}

export const make = Effect.gen(function* () {
  const router = yield* StoreRouter
  const ids = yield* IdGenerator

  const createDocument = (raw: CreateDocumentInput) =>
    Effect.gen(function* () {
      const input = yield* validate(CreateDocumentInput, "createDocument")(raw)
      const now = yield* nowSeconds
      const document: Document = {
        id: yield* ids.next,
        title: input.title,
        content: input.content ?? "",
        created_by: input.createdBy,
        created_by_username: input.createdByUsername ?? null,
        created_at: now,
        updated_at: now,
        is_public: input.isPublic ?? true,
        metadata: input.metadata ?? null
      }
      const owner: DocumentCollaborator = {
        id: yield* ids.next,
        document_id: document.id,
        user_id: input.createdBy,
        username: input.createdByUsername ?? null,
        role: ownerRole,
        joined_at: now
      }
      yield* router.write({ _tag: "CreateDocument", document, owner })
      return document
    })

  const update = (operation: string, id: string, set: Partial<Document>) =>
    Effect.gen(function* () {
      const updatedAt = yield* nowSeconds
      const result = yield* router.write({ _tag: "UpdateDocument", id, set: { ...set, updated_at: updatedAt } })
      if (result.rowsAffected === 0) return yield* new NotFound({ entity: "document", key: id })
    }).pipe(Effect.withSpan(operation))

  const updateDocumentContent = (id: string, content: string) =>
    Effect.flatMap(validate(Schema.String, "updateDocumentContent")(content), (c) =>
      update("updateDocumentContent", id, { content: c })
    )

  const updateDocumentTitle = (id: string, title: string) =>
    Effect.flatMap(validate(NonBlankString("title"), "updateDocumentTitle")(title), (t) =>
      update("updateDocumentTitle", id, { title: t })
    )

  const deleteDocument = (id: string) =>
    Effect.map(router.write({ _tag: "DeleteDocument", id }), (r) => r.rowsAffected > 0)

  // An empty filter value filters nothing, as the original's truthiness tests did.
  const filterOf = (filter: typeof DocumentFilter.Type) => ({
    createdBy: filter.createdBy || undefined,
    userId: filter.userId || undefined
  })

  const listDocuments = (raw: typeof ListDocumentsOptions.Encoded = {}) =>
    Effect.flatMap(validate(ListDocumentsOptions, "listDocuments")(raw), ({ limit, offset, ...filter }) =>
      router.read.listDocuments({ ...filterOf(filter), limit, offset })
    )

  const getDocumentCount = (raw: typeof DocumentFilter.Encoded = {}) =>
    Effect.flatMap(validate(DocumentFilter, "getDocumentCount")(raw), (filter) =>
      router.read.countDocuments(filterOf(filter))
    )

  const addCollaborator = (raw: AddCollaboratorInput) =>
    Effect.gen(function* () {
      const input = yield* validate(AddCollaboratorInput, "addCollaborator")(raw)
      // What is left out is null: the Store keeps the stored value, or defaults a new row's role, and keeps an
      // owner an owner (the web route always sends role "editor"), in the statement that writes (F12).
      const row: DocumentCollaborator = {
        id: yield* ids.next,
        document_id: input.documentId,
        user_id: input.userId,
        username: input.username ?? null,
        role: input.role || null,
        joined_at: yield* nowSeconds
      }
      const result = yield* router.write({ _tag: "UpsertCollaborator", row, merge: true })
      if (result.rowsAffected === 0) return yield* new NotFound({ entity: "document", key: input.documentId })
      // On an existing collaborator the stored row keeps its id and join time: return what is stored.
      return result.replicate._tag === "UpsertCollaborator" ? result.replicate.row : row
    })

  const removeCollaborator = (documentId: string, userId: string) =>
    Effect.map(router.write({ _tag: "RemoveCollaborator", documentId, userId }), (r) => r.rowsAffected > 0)

  return DocumentService.of({
    createDocument,
    getDocument: router.read.getDocument,
    updateDocumentContent,
    updateDocumentTitle,
    deleteDocument,
    listDocuments,
    getDocumentCount,
    addCollaborator,
    removeCollaborator,
    getDocumentCollaborators: router.read.getCollaborators,
    hasDocumentAccess: router.read.hasDocumentAccess
  })
})

export const layer = Layer.effect(DocumentService, make)
