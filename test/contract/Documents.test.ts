/**
 * The bot's document functions through the package root, on SQLite and on PostgreSQL: the recorded run of the
 * original (contract Appendix A), the corrected behaviours (F5, F11, F12, F13, K9/F4 limits) and the same answers
 * whichever backend holds the documents.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  addCollaborator,
  createDocument,
  deleteDocument,
  type DocumentCollaboratorRecord,
  type DocumentRecord,
  getDocument,
  getDocumentCollaborators,
  getDocumentCount,
  hasDocumentAccess,
  InvalidInput,
  listDocuments,
  NotFound,
  removeCollaborator,
  updateDocumentContent,
  updateDocumentTitle
} from "../../src/index.js"
import { type BackendName, backends, useDefaultDatabase } from "./support/DefaultDatabaseEnv.js"

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error
  )

const pairs = (rows: ReadonlyArray<DocumentCollaboratorRecord>) => rows.map((c) => `${c.user_id}:${c.role}`)

/** A row without what differs by run: ids and times (checked separately to be epoch seconds). */
const portable = (row: object) =>
  Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key,
      key === "id" || key === "document_id" ? "<id>" : key.endsWith("_at") ? typeof value : value
    ])
  )

const nowSeconds = () => Math.floor(Date.now() / 1000)

const transcripts: Partial<Record<BackendName, unknown>> = {}

for (const backend of backends) {
  describe(`${backend}: the bot's document functions`, () => {
    useDefaultDatabase(backend)

    it("Appendix A: create, read, list by creator, count, collaborators", async () => {
      const before = nowSeconds()
      const plan = await createDocument({
        title: "Plan",
        content: "x",
        createdBy: "u1",
        createdByUsername: "alice",
        isPublic: true
      })
      expect(plan.is_public).toBe(1)
      expect(plan.created_by_username).toBe("alice")
      expect(Object.keys(plan)).toEqual([
        "id",
        "title",
        "content",
        "created_by",
        "created_by_username",
        "created_at",
        "updated_at",
        "is_public"
      ])
      expect(plan.created_at).toBeGreaterThanOrEqual(before)
      expect(plan.created_at).toBeLessThanOrEqual(nowSeconds())
      expect(plan.updated_at).toBe(plan.created_at)

      const read = await getDocument(plan.id)
      expect(read).toEqual({ ...plan, metadata: null })
      expect(read?.is_public).toBe(1)
      expect(await getDocument("nope")).toBeNull()

      expect(await updateDocumentTitle("nope", "T")).toBeUndefined()
      expect(await deleteDocument("nope")).toBeUndefined()

      await createDocument({ title: "Other", content: "y", createdBy: "u9", createdByUsername: "zed", isPublic: true })
      const listed = await listDocuments({ createdBy: "u1", limit: 20, offset: 0 })
      expect(listed.map((d) => d.title)).toEqual(["Plan"])
      expect(await getDocumentCount({ createdBy: "u1" })).toBe(1)
      expect(await getDocumentCount()).toBe(2)

      expect(
        await addCollaborator({ documentId: plan.id, userId: "u2", username: "bob", role: "admin" })
      ).toBeUndefined()
      const missing = await rejection(addCollaborator({ documentId: "nope", userId: "u2", username: "bob" }))
      expect(missing).toBeInstanceOf(NotFound)
      expect(missing).toBeInstanceOf(Error)
      // F13: what the web routes echo to clients names the document, not SQL.
      expect((missing as NotFound).message).toBe("document nope not found")

      const collaborators = await getDocumentCollaborators(plan.id)
      expect(pairs(collaborators)).toEqual(["u1:owner", "u2:admin"])
      expect(collaborators.map((c) => c.username)).toEqual(["alice", "bob"])
      expect(await getDocumentCollaborators("nope")).toEqual([])

      transcripts[backend] = {
        created: portable(plan),
        read: read === null ? null : portable(read),
        listed: listed.map(portable),
        collaborators: collaborators.map(portable)
      }
    })

    it("K19, F11: is_public is 0/1; a document is public unless isPublic is false", async () => {
      const implicit = await createDocument({ title: "Implicit", createdBy: "f11-owner" })
      const hidden = await createDocument({ title: "Hidden", createdBy: "f11-owner", isPublic: false })
      expect(implicit.is_public).toBe(1)
      expect(implicit.content).toBe("")
      expect(implicit.created_by_username).toBeNull()
      expect(hidden.is_public).toBe(0)
      expect((await getDocument(implicit.id))?.is_public).toBe(1)
      expect((await getDocument(hidden.id))?.is_public).toBe(0)
      expect(await hasDocumentAccess(implicit.id, "stranger")).toBe(true)
      expect(await hasDocumentAccess(hidden.id, "stranger")).toBe(false)
      expect(await hasDocumentAccess(hidden.id, "f11-owner")).toBe(true)
      expect(await hasDocumentAccess("nope", "f11-owner")).toBe(false)
    })

    it("K10: content and title updates bump updated_at; missing ids resolve; delete takes the collaborators", async () => {
      const doc = await createDocument({ title: "Draft", content: "one", createdBy: "k10", isPublic: true })
      await addCollaborator({ documentId: doc.id, userId: "k10-friend" })
      await updateDocumentContent(doc.id, "two")
      await updateDocumentTitle(doc.id, "Draft 2")
      const read = await getDocument(doc.id)
      expect(read?.content).toBe("two")
      expect(read?.title).toBe("Draft 2")
      expect(read?.updated_at).toBeGreaterThanOrEqual(doc.updated_at)
      expect(await updateDocumentContent("nope", "x")).toBeUndefined()

      expect(await deleteDocument(doc.id)).toBeUndefined()
      expect(await getDocument(doc.id)).toBeNull()
      expect(await getDocumentCollaborators(doc.id)).toEqual([])
      expect(await getDocumentCount({ createdBy: "k10" })).toBe(0)
    })

    it("F12: re-adding keeps what is not given, and an owner stays owner", async () => {
      const doc = await createDocument({ title: "Shared", createdBy: "f12-owner", createdByUsername: "Olga" })
      await addCollaborator({ documentId: doc.id, userId: "f12-bob", username: "bob", role: "admin" })
      // Re-added without name or role: both kept.
      await addCollaborator({ documentId: doc.id, userId: "f12-bob" })
      // The web route sends role "editor" whenever the request has none: the owner keeps the document.
      await addCollaborator({ documentId: doc.id, userId: "f12-owner", role: "editor" })
      await addCollaborator({ documentId: doc.id, userId: "f12-owner" })
      const afterReAdd = await getDocumentCollaborators(doc.id)
      expect(afterReAdd.map((c) => [c.user_id, c.username, c.role])).toEqual([
        ["f12-owner", "Olga", "owner"],
        ["f12-bob", "bob", "admin"]
      ])
      // What is given is applied; a new collaborator without a role is an editor (K18).
      await addCollaborator({ documentId: doc.id, userId: "f12-bob", username: "Bob B.", role: "viewer" })
      await addCollaborator({ documentId: doc.id, userId: "f12-carol" })
      const collaborators = await getDocumentCollaborators(doc.id)
      expect(collaborators.map((c) => [c.user_id, c.username, c.role])).toEqual([
        ["f12-owner", "Olga", "owner"],
        ["f12-bob", "Bob B.", "viewer"],
        ["f12-carol", null, "editor"]
      ])
      // Re-adding kept each row's id and join time.
      expect(collaborators.slice(0, 2).map((c) => [c.id, c.joined_at])).toEqual(
        afterReAdd.map((c) => [c.id, c.joined_at])
      )

      await removeCollaborator(doc.id, "f12-carol")
      expect(await removeCollaborator(doc.id, "f12-carol")).toBeUndefined()
      expect(pairs(await getDocumentCollaborators(doc.id))).toEqual(["f12-owner:owner", "f12-bob:viewer"])
    })

    it("createdBy lists what the user created, not what they collaborate on", async () => {
      const own = await createDocument({ title: "Mine", createdBy: "cb-user" })
      const theirs = await createDocument({ title: "Theirs", createdBy: "cb-other" })
      await addCollaborator({ documentId: theirs.id, userId: "cb-user", role: "editor" })
      expect((await listDocuments({ createdBy: "cb-user" })).map((d) => d.id)).toEqual([own.id])
      expect(await getDocumentCount({ createdBy: "cb-user" })).toBe(1)
      // The web route passes `createdBy || undefined`.
      const createdBy: string | undefined = undefined
      expect(await getDocumentCount({ createdBy })).toBe(await getDocumentCount())
    })

    it("F5: documents updated in the same second list newest first; collaborators in the order they joined", async () => {
      const created: Array<DocumentRecord> = []
      for (const title of ["a", "b", "c", "d"]) created.push(await createDocument({ title, createdBy: "f5-user" }))
      expect((await listDocuments({ createdBy: "f5-user" })).map((d) => d.title)).toEqual(["d", "c", "b", "a"])
      const doc = created[0]!
      for (const userId of ["f5-z", "f5-a", "f5-m"]) await addCollaborator({ documentId: doc.id, userId })
      expect((await getDocumentCollaborators(doc.id)).map((c) => c.user_id)).toEqual([
        "f5-user",
        "f5-z",
        "f5-a",
        "f5-m"
      ])
    })

    it("K9, F4: limits default when 0 or NaN, clamp when huge, reject when negative or fractional", async () => {
      for (let i = 0; i < 52; i++) await createDocument({ title: `bulk ${i}`, createdBy: "k9-bulk" })
      // apps/web: limit parseInt(q.limit || '20') may be NaN; the default is 50.
      expect(await listDocuments({ createdBy: "k9-bulk", limit: Number.NaN, offset: Number.NaN })).toHaveLength(50)
      expect(await listDocuments({ createdBy: "k9-bulk", limit: 0 })).toHaveLength(50)
      expect(await listDocuments({ createdBy: "k9-bulk" })).toHaveLength(50)
      expect(await listDocuments()).toHaveLength(50)
      expect(await listDocuments({ createdBy: "k9-bulk", limit: 1_000_000 })).toHaveLength(52)
      const page = await listDocuments({ createdBy: "k9-bulk", limit: 20, offset: 40 })
      expect(page.map((d) => d.title)).toEqual(Array.from({ length: 12 }, (_, i) => `bulk ${11 - i}`))
      for (const options of [{ limit: -1 }, { limit: 2.5 }, { offset: -20 }, { offset: 1.5 }]) {
        const error = await rejection(listDocuments({ createdBy: "k9-bulk", ...options }))
        expect(error).toBeInstanceOf(InvalidInput)
      }
    })

    it("bad input rejects with InvalidInput before anything is written", async () => {
      expect(await rejection(createDocument({ title: "", createdBy: "bad" }))).toBeInstanceOf(InvalidInput)
      expect(await rejection(createDocument({ title: "t", createdBy: "" }))).toBeInstanceOf(InvalidInput)
      expect(await getDocumentCount({ createdBy: "bad" })).toBe(0)
    })
  })
}

describe("both backends", () => {
  it("give the same answers to the Appendix A calls", () => {
    expect(transcripts.sqlite).toBeDefined()
    expect(transcripts.postgres).toEqual(transcripts.sqlite)
  })
})
