/**
 * The behaviour of the four services, declared once and run against every backend (see sqlite.test.ts and
 * postgres.test.ts). Each test works on its own users, channels and documents, so tests sharing a database
 * never see each other's rows.
 */
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Either, Exit, type Layer, Option, TestClock } from "effect"
import type { StoreError } from "../../src/runtime/domain/Errors.js"
import { userProfileColumns } from "../../src/runtime/domain/UserProfile.js"
import type { Services } from "../../src/runtime/layers/Services.js"
import { DocumentService } from "../../src/runtime/services/DocumentService.js"
import { MessageService } from "../../src/runtime/services/MessageService.js"
import { QueryService } from "../../src/runtime/services/QueryService.js"
import { UserProfileService } from "../../src/runtime/services/UserProfileService.js"

let counter = 0
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`

/** Moves the test clock so consecutive writes get distinct, increasing timestamps. */
const tick = TestClock.adjust("1 second")

const failureTag = <A, E extends { _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.either(effect), (e) => (Either.isLeft(e) ? e.left._tag : "success"))

export const servicesSuite = (backend: string, makeLayer: () => Layer.Layer<Services, StoreError>) => {
  describe(`${backend}: MessageService`, () => {
    layer(makeLayer(), { timeout: 60_000 })((it) => {
      it.effect("saves human, AI and tool messages and reads them back by id", () =>
        Effect.gen(function* () {
          const messages = yield* MessageService
          const userId = unique("user")
          const human = yield* messages.saveHumanMessage({
            userId,
            username: "Zoë",
            channelId: "chan-1",
            channelName: "général",
            guildId: "guild-1",
            content: "Hello 👋 wörld, 日本語 too",
            sessionId: "s-1",
            metadata: { nested: { list: [1, 2.5, "three", null, true] }, emoji: "🎉" }
          })
          yield* tick
          const ai = yield* messages.saveAIMessage({
            userId,
            channelId: "chan-1",
            content: "Hi!",
            parentMessageId: human.id,
            responseDecision: { respond: true, confidence: 0.9 },
            botPerception: "friendly",
            conversationQuality: "good"
          })
          yield* tick
          const tool = yield* messages.saveToolExecution({
            toolName: "search",
            toolArgs: { q: "weather" },
            toolResult: ["sunny", 21],
            userId,
            channelId: "chan-1"
          })

          expect(human.sender_type).toBe("human")
          expect(ai.sender_type).toBe("ai")
          expect(tool.sender_type).toBe("tool")
          expect(tool.message_content).toBe("Tool: search")
          for (const saved of [human, ai, tool]) {
            const read = yield* messages.getMessageById(saved.id)
            expect(Option.getOrThrow(read)).toEqual(saved)
          }
          expect(Option.isNone(yield* messages.getMessageById("does-not-exist"))).toBe(true)
        })
      )

      it.effect("stores timestamps in milliseconds and created_at in seconds", () =>
        Effect.gen(function* () {
          const messages = yield* MessageService
          yield* TestClock.setTime(1_700_000_123_456)
          const saved = yield* messages.saveHumanMessage({ userId: unique("u"), username: "a", content: "time" })
          const read = Option.getOrThrow(yield* messages.getMessageById(saved.id))
          expect(read.timestamp).toBe(1_700_000_123_456)
          expect(read.created_at).toBe(1_700_000_123)
          expect(typeof read.timestamp).toBe("number")
        })
      )

      it.effect("filters by user, channel, sender type and time, newest first, with limit and offset", () =>
        Effect.gen(function* () {
          const messages = yield* MessageService
          const userA = unique("a")
          const userB = unique("b")
          const channel = unique("chan")
          yield* TestClock.setTime(2_000_000_000_000)
          const saved = []
          for (let i = 0; i < 6; i++) {
            const userId = i % 2 === 0 ? userA : userB
            saved.push(
              i % 3 === 2
                ? yield* messages.saveAIMessage({ userId, channelId: channel, content: `reply ${i}` })
                : yield* messages.saveHumanMessage({ userId, username: "u", channelId: channel, content: `msg ${i}` })
            )
            yield* tick
          }
          const ids = (rows: ReadonlyArray<{ id: string }>) => rows.map((r) => r.id)
          const newestFirst = [...saved].reverse()

          expect(ids(yield* messages.queryMessages({ channelId: channel }))).toEqual(ids(newestFirst))
          expect(ids(yield* messages.queryMessages({ userId: userA }))).toEqual(
            ids(newestFirst.filter((m) => m.user_id === userA))
          )
          expect(ids(yield* messages.queryMessages({ channelId: channel, senderType: "ai" }))).toEqual(
            ids(newestFirst.filter((m) => m.sender_type === "ai"))
          )
          expect(
            ids(
              yield* messages.queryMessages({
                channelId: channel,
                startTime: saved[1]!.timestamp,
                endTime: saved[3]!.timestamp
              })
            )
          ).toEqual(ids([saved[3]!, saved[2]!, saved[1]!]))
          expect(ids(yield* messages.queryMessages({ channelId: channel, limit: 2, offset: 1 }))).toEqual(
            ids(newestFirst.slice(1, 3))
          )
          expect(yield* messages.getMessageCount({ channelId: channel })).toBe(6)
          expect(yield* messages.getMessageCount({ userId: userA })).toBe(3)
          expect(yield* messages.getMessageCount({ userId: userA, senderType: "human" })).toBe(2)
          const total = yield* messages.getMessageCount()
          expect(total).toBeGreaterThanOrEqual(6)
        })
      )

      it.effect("searches plain words, AND-ed, combined with filters, without engine syntax errors", () =>
        Effect.gen(function* () {
          const messages = yield* MessageService
          const channel = unique("search")
          const corpus = [
            "the quick brown fox jumps",
            "a quick red fox",
            "lazy brown dog sleeps",
            "Café au lait and croissant",
            "NEAR the river AND the sea",
            "日本語 のテキスト 🎉 party",
            "fox-trot dance"
          ]
          const saved = []
          for (const [i, content] of corpus.entries()) {
            saved.push(
              yield* messages.saveHumanMessage({
                userId: i < 3 ? "searcher" : unique("other"),
                username: "searchy",
                channelId: channel,
                content
              })
            )
            yield* tick
          }
          const search = (searchText: string, extra: { userId?: string } = {}) =>
            Effect.map(messages.queryMessages({ channelId: channel, searchText, ...extra }), (rows) =>
              rows.map((r) => r.message_content).sort()
            )

          expect(yield* search("fox")).toEqual(["a quick red fox", "fox-trot dance", "the quick brown fox jumps"])
          expect(yield* search("quick fox")).toEqual(["a quick red fox", "the quick brown fox jumps"])
          expect(yield* search("BROWN")).toEqual(["lazy brown dog sleeps", "the quick brown fox jumps"])
          expect(yield* search("brown", { userId: "searcher" })).toEqual([
            "lazy brown dog sleeps",
            "the quick brown fox jumps"
          ])
          expect(yield* search("croissant café")).toEqual(["Café au lait and croissant"])
          expect(yield* search("日本語")).toEqual(["日本語 のテキスト 🎉 party"])
          expect(yield* search("near")).toEqual(["NEAR the river AND the sea"])
          expect(yield* search("searchy")).toHaveLength(corpus.length)
          // Engine syntax from users is just text: no error, and operators are not operators.
          for (const hostile of [
            '"',
            "AND(",
            "*",
            "-x",
            "NEAR",
            "fox*",
            "fox OR dog",
            '"fox',
            "a:b",
            "(((",
            "^",
            "!!!"
          ]) {
            const exit = yield* Effect.exit(search(hostile))
            expect(Exit.isSuccess(exit), hostile).toBe(true)
          }
          expect(yield* search("fox OR dog")).toEqual([])
          expect(yield* search("*")).toEqual([])
          expect(yield* search("-fox")).toEqual(["a quick red fox", "fox-trot dance", "the quick brown fox jumps"])
          // Search matches the tool name and the username too.
          const tool = yield* messages.saveToolExecution({ toolName: "weatherlookup", channelId: channel })
          expect(
            (yield* messages.queryMessages({ channelId: channel, searchText: "weatherlookup" })).map((m) => m.id)
          ).toEqual([tool.id])
        })
      )

      it.effect("F2: a count with searchText and filters is the number of rows the same search returns", () =>
        Effect.gen(function* () {
          const messages = yield* MessageService
          const channel = unique("count")
          const talker = unique("talker")
          const contents = ["pizza tonight", "more pizza please", "no pizza for me", "pasta tonight", "pizza party"]
          for (const [i, content] of contents.entries()) {
            yield* messages.saveHumanMessage({
              userId: i % 2 === 0 ? talker : unique("other"),
              username: "u",
              channelId: channel,
              content
            })
            yield* tick
          }
          yield* messages.saveAIMessage({ userId: talker, channelId: channel, content: "pizza is served" })
          const filters = [
            { channelId: channel, searchText: "pizza" },
            { channelId: channel, searchText: "pizza tonight" },
            { channelId: channel, searchText: "pizza", userId: talker },
            { channelId: channel, searchText: "pizza", senderType: "ai" as const },
            { channelId: channel, searchText: "nothing-like-this" },
            { channelId: channel, searchText: "!!!" },
            { channelId: channel, searchText: "" }
          ]
          const counts = []
          for (const filter of filters) {
            const rows = yield* messages.queryMessages({ ...filter, limit: 10_000 })
            const counted = yield* messages.getMessageCount(filter)
            expect(counted, JSON.stringify(filter)).toBe(rows.length)
            counts.push(counted)
          }
          // The search narrowed the count (it was not ignored): 5 of the channel's 6 mention pizza.
          expect(counts.slice(0, 6)).toEqual([5, 1, 4, 1, 0, 0])
        })
      )

      it.effect("rejects bad input with InvalidInput before any SQL", () =>
        Effect.gen(function* () {
          const messages = yield* MessageService
          // An attachment-only Discord message has no text: it is stored, not refused.
          const empty = yield* messages.saveHumanMessage({ userId: unique("u"), username: "u", content: "" })
          expect(Option.getOrThrow(yield* messages.getMessageById(empty.id)).message_content).toBe("")
          expect(yield* failureTag(messages.saveHumanMessage({ userId: " ", username: "u", content: "hi" }))).toBe(
            "InvalidInput"
          )
          expect(yield* failureTag(messages.queryMessages({ senderType: "robot" as unknown as "human" }))).toBe(
            "InvalidInput"
          )
          expect(yield* failureTag(messages.queryMessages({ limit: -1 }))).toBe("InvalidInput")
          expect(yield* failureTag(messages.queryMessages({ offset: -5 }))).toBe("InvalidInput")
          const error = yield* Effect.flip(messages.queryMessages({ limit: -1 }))
          expect(error.message).toContain("limit")
          expect(yield* failureTag(messages.saveToolExecution({ toolName: "" }))).toBe("InvalidInput")
        })
      )
    })
  })

  describe(`${backend}: QueryService`, () => {
    layer(makeLayer(), { timeout: 60_000 })((it) => {
      it.effect("saves queries, lists the recent ones, counts them", () =>
        Effect.gen(function* () {
          const queries = yield* QueryService
          const userId = unique("q")
          yield* TestClock.setTime(1_650_000_000_000)
          const first = yield* queries.saveQuery({
            userId,
            username: "asker",
            queryText: "how many messages today?",
            translatedSql: "SELECT COUNT(*) FROM messages",
            queryResult: [{ count: 42 }],
            resultCount: 1,
            executionTimeMs: 12,
            sentimentAnalysis: { tone: "curious" },
            queryComplexity: "simple"
          })
          yield* tick
          const second = yield* queries.saveQuery({
            userId,
            username: "asker",
            queryText: "broken",
            error: "syntax error",
            queryResult: "raw text result"
          })
          expect(Option.getOrThrow(yield* queries.getQueryById(first.id))).toEqual(first)
          expect(Option.getOrThrow(yield* queries.getQueryById(second.id)).query_result).toBe("raw text result")
          expect((yield* queries.getRecentQueries({ userId })).map((q) => q.id)).toEqual([second.id, first.id])
          expect((yield* queries.getRecentQueries({ userId, limit: 1 })).map((q) => q.id)).toEqual([second.id])
          expect((yield* queries.getRecentQueries({ userId, limit: 1, offset: 1 })).map((q) => q.id)).toEqual([
            first.id
          ])
          expect(yield* queries.getQueryCount({ userId })).toBe(2)
          expect(yield* queries.getQueryCount()).toBeGreaterThanOrEqual(2)
          expect(Option.isNone(yield* queries.getQueryById("nope"))).toBe(true)
          expect(yield* failureTag(queries.saveQuery({ userId, username: "a", queryText: "" }))).toBe("InvalidInput")
          expect(yield* failureTag(queries.getRecentQueries({ limit: -3 }))).toBe("InvalidInput")
          expect(
            yield* failureTag(queries.saveQuery({ userId, username: "a", queryText: "x", resultCount: 1.5 }))
          ).toBe("InvalidInput")
        })
      )
    })
  })

  describe(`${backend}: DocumentService`, () => {
    layer(makeLayer(), { timeout: 60_000 })((it) => {
      it.effect("creates a document with its creator as owner, updates bump updated_at", () =>
        Effect.gen(function* () {
          const docs = yield* DocumentService
          const owner = unique("owner")
          yield* TestClock.setTime(1_600_000_000_000)
          const doc = yield* docs.createDocument({
            title: "Plan 📝",
            content: "first draft",
            createdBy: owner,
            createdByUsername: "Owner",
            isPublic: false,
            metadata: { tags: ["a", "b"] }
          })
          expect(Option.getOrThrow(yield* docs.getDocument(doc.id))).toEqual(doc)
          expect(doc.is_public).toBe(false)
          const collaborators = yield* docs.getDocumentCollaborators(doc.id)
          expect(collaborators.map((c) => [c.user_id, c.role])).toEqual([[owner, "owner"]])

          yield* TestClock.adjust("10 seconds")
          yield* docs.updateDocumentContent(doc.id, "second draft")
          const afterContent = Option.getOrThrow(yield* docs.getDocument(doc.id))
          expect(afterContent.content).toBe("second draft")
          expect(afterContent.updated_at).toBe(doc.updated_at! + 10)
          yield* TestClock.adjust("5 seconds")
          yield* docs.updateDocumentTitle(doc.id, "Plan v2")
          const afterTitle = Option.getOrThrow(yield* docs.getDocument(doc.id))
          expect(afterTitle.title).toBe("Plan v2")
          expect(afterTitle.updated_at).toBe(doc.updated_at! + 15)
          expect(afterTitle.created_at).toBe(doc.created_at)

          expect(yield* failureTag(docs.updateDocumentContent("missing", "x"))).toBe("NotFound")
          expect(yield* failureTag(docs.updateDocumentTitle(doc.id, ""))).toBe("InvalidInput")
          expect(yield* failureTag(docs.createDocument({ title: "", createdBy: owner }))).toBe("InvalidInput")
        })
      )

      it.effect("collaborators: upsert per document and user, removal, access rules", () =>
        Effect.gen(function* () {
          const docs = yield* DocumentService
          const owner = unique("owner")
          const friend = unique("friend")
          const stranger = unique("stranger")
          const privateDoc = yield* docs.createDocument({ title: "secret", createdBy: owner, isPublic: false })
          const publicDoc = yield* docs.createDocument({ title: "open", createdBy: owner })
          expect(publicDoc.is_public).toBe(true)

          expect(yield* docs.hasDocumentAccess(privateDoc.id, owner)).toBe(true)
          expect(yield* docs.hasDocumentAccess(privateDoc.id, friend)).toBe(false)
          expect(yield* docs.hasDocumentAccess(publicDoc.id, stranger)).toBe(true)
          expect(yield* docs.hasDocumentAccess("missing", owner)).toBe(false)

          const added = yield* docs.addCollaborator({ documentId: privateDoc.id, userId: friend, username: "F" })
          expect(added.role).toBe("editor")
          expect(yield* docs.hasDocumentAccess(privateDoc.id, friend)).toBe(true)
          const again = yield* docs.addCollaborator({
            documentId: privateDoc.id,
            userId: friend,
            username: "Friend",
            role: "viewer"
          })
          expect(again.id).toBe(added.id)
          expect(again.role).toBe("viewer")
          const collaborators = yield* docs.getDocumentCollaborators(privateDoc.id)
          expect(collaborators).toHaveLength(2)
          expect(collaborators.find((c) => c.user_id === friend)).toEqual(again)

          expect(yield* docs.listDocuments({ userId: friend })).toHaveLength(1)
          expect((yield* docs.listDocuments({ userId: owner })).map((d) => d.id).sort()).toEqual(
            [privateDoc.id, publicDoc.id].sort()
          )
          expect(yield* docs.getDocumentCount({ userId: owner })).toBe(2)
          expect(yield* docs.getDocumentCount({ userId: friend })).toBe(1)
          expect(yield* docs.getDocumentCount({ createdBy: friend })).toBe(0)

          expect(yield* docs.removeCollaborator(privateDoc.id, friend)).toBe(true)
          expect(yield* docs.removeCollaborator(privateDoc.id, friend)).toBe(false)
          expect(yield* docs.hasDocumentAccess(privateDoc.id, friend)).toBe(false)

          expect(yield* failureTag(docs.addCollaborator({ documentId: "missing", userId: friend }))).toBe("NotFound")
          expect(yield* failureTag(docs.addCollaborator({ documentId: privateDoc.id, userId: " " }))).toBe(
            "InvalidInput"
          )
        })
      )

      it.effect("deleting a document removes its collaborators", () =>
        Effect.gen(function* () {
          const docs = yield* DocumentService
          const owner = unique("owner")
          const doc = yield* docs.createDocument({ title: "temp", createdBy: owner })
          yield* docs.addCollaborator({ documentId: doc.id, userId: unique("c") })
          expect(yield* docs.getDocumentCollaborators(doc.id)).toHaveLength(2)
          expect(yield* docs.deleteDocument(doc.id)).toBe(true)
          expect(Option.isNone(yield* docs.getDocument(doc.id))).toBe(true)
          expect(yield* docs.getDocumentCollaborators(doc.id)).toEqual([])
          expect(yield* docs.deleteDocument(doc.id)).toBe(false)
          expect(yield* docs.getDocumentCount({ userId: owner })).toBe(0)
        })
      )

      it.effect("lists documents most recently updated first, with paging", () =>
        Effect.gen(function* () {
          const docs = yield* DocumentService
          const owner = unique("lister")
          yield* TestClock.setTime(1_500_000_000_000)
          const created = []
          for (let i = 0; i < 4; i++) {
            created.push(yield* docs.createDocument({ title: `doc ${i}`, createdBy: owner }))
            yield* tick
          }
          yield* docs.updateDocumentContent(created[0]!.id, "touched")
          const listed = yield* docs.listDocuments({ userId: owner })
          expect(listed.map((d) => d.title)).toEqual(["doc 0", "doc 3", "doc 2", "doc 1"])
          expect((yield* docs.listDocuments({ userId: owner, limit: 2, offset: 1 })).map((d) => d.title)).toEqual([
            "doc 3",
            "doc 2"
          ])
          expect(yield* failureTag(docs.listDocuments({ limit: -1 }))).toBe("InvalidInput")
        })
      )

      it.effect("createdBy: the creator's documents only, last updated first, paged; with userId both hold", () =>
        Effect.gen(function* () {
          const docs = yield* DocumentService
          const creator = unique("creator")
          const other = unique("other")
          yield* TestClock.setTime(1_400_000_000_000)
          const mine = []
          for (let i = 0; i < 3; i++) {
            mine.push(yield* docs.createDocument({ title: `mine ${i}`, createdBy: creator }))
            yield* tick
          }
          const theirs = yield* docs.createDocument({ title: "theirs", createdBy: other })
          yield* docs.addCollaborator({ documentId: theirs.id, userId: creator })
          yield* tick
          yield* docs.updateDocumentTitle(mine[0]!.id, "mine 0 renamed")
          const titles = (rows: ReadonlyArray<{ title: string }>) => rows.map((d) => d.title)

          expect(titles(yield* docs.listDocuments({ createdBy: creator }))).toEqual([
            "mine 0 renamed",
            "mine 2",
            "mine 1"
          ])
          expect(titles(yield* docs.listDocuments({ createdBy: creator, limit: 1, offset: 1 }))).toEqual(["mine 2"])
          expect(yield* docs.listDocuments({ createdBy: creator, offset: 3 })).toEqual([])
          expect(yield* docs.getDocumentCount({ createdBy: creator })).toBe(3)
          expect(yield* docs.getDocumentCount({ userId: creator })).toBe(4)
          expect(titles(yield* docs.listDocuments({ createdBy: other, userId: creator }))).toEqual(["theirs"])
          expect(yield* docs.getDocumentCount({ createdBy: other, userId: creator })).toBe(1)
          expect(yield* docs.getDocumentCount({ createdBy: creator, userId: other })).toBe(0)
        })
      )

      it.effect("F12: concurrent adds of one collaborator keep what any of them gave, and the owner stays owner", () =>
        Effect.gen(function* () {
          const docs = yield* DocumentService
          const owner = unique("owner")
          const friend = unique("friend")
          const doc = yield* docs.createDocument({ title: "race", createdBy: owner, createdByUsername: "Olga" })
          const add = (input: { userId: string; username?: string; role?: string }) =>
            docs.addCollaborator({ documentId: doc.id, ...input })
          // One add names the friend; seven re-add them bare; the owner is re-added as the web route does it.
          const added = yield* Effect.all(
            [
              ...Array.from({ length: 7 }, () => add({ userId: friend })),
              add({ userId: friend, username: "Bob", role: "admin" }),
              ...Array.from({ length: 4 }, () => add({ userId: owner, role: "editor" })),
              ...Array.from({ length: 4 }, () => add({ userId: owner }))
            ],
            { concurrency: "unbounded" }
          )
          const stored = yield* docs.getDocumentCollaborators(doc.id)
          expect(stored.map((c) => [c.user_id, c.username, c.role])).toEqual([
            [owner, "Olga", "owner"],
            [friend, "Bob", "admin"]
          ])
          // Every add answered with the one row of its pair.
          const idOf = new Map(stored.map((c) => [c.user_id, c.id]))
          expect(added.every((c) => c.id === idOf.get(c.user_id))).toBe(true)
          expect(added.filter((c) => c.user_id === owner).every((c) => c.role === "owner")).toBe(true)
        })
      )
    })
  })

  describe(`${backend}: UserProfileService`, () => {
    layer(makeLayer(), { timeout: 60_000 })((it) => {
      it.effect("creates, gets or creates, increments message counts", () =>
        Effect.gen(function* () {
          const profiles = yield* UserProfileService
          const userId = unique("p")
          yield* TestClock.setTime(1_700_000_000_000)
          expect(Option.isNone(yield* profiles.getUserProfile(userId))).toBe(true)
          const created = yield* profiles.getOrCreateUserProfile(userId, "Ann")
          expect(created.message_count).toBe(0)
          expect(created.first_seen_at).toBe(1_700_000_000)
          expect(Option.getOrThrow(yield* profiles.getUserProfile(userId))).toEqual(created)
          expect(yield* profiles.getOrCreateUserProfile(userId, "Ann")).toEqual(created)

          yield* TestClock.adjust("30 seconds")
          expect(yield* profiles.incrementMessageCount(userId)).toBe(1)
          expect(yield* profiles.incrementMessageCount(userId)).toBe(2)
          const after = Option.getOrThrow(yield* profiles.getUserProfile(userId))
          expect(after.message_count).toBe(2)
          expect(after.last_interaction_at).toBe(1_700_000_030)
          expect(yield* failureTag(profiles.incrementMessageCount(unique("ghost")))).toBe("NotFound")
        })
      )

      it.effect("updates every column kind and reads the same values back", () =>
        Effect.gen(function* () {
          const profiles = yield* UserProfileService
          const userId = unique("kinds")
          yield* profiles.createUserProfile({ userId, username: "Kim" })
          const updates = {
            dominant_archetype: "Sage 🦉",
            secondary_archetypes: ["Explorer", "Creator"],
            archetype_confidence: 0.875,
            openness_score: 91,
            feelings_json: { joy: 0.5, nested: { deep: [1, { x: "ü" }] }, none: null, flag: false },
            personality_facets: "just a JSON string",
            uploaded_photo_metadata: 42,
            last_analyzed_at: 1_700_000_500,
            cultural_background: "日本",
            prediction_accuracy_score: -1.25,
            world_model_adjustments: [],
            personal_model_adjustments: {},
            omega_thoughts: "multi\nline\ttext with 'quotes' and \"double\"",
            message_count: 7,
            eye_color: null
          }
          yield* profiles.updateUserProfile(userId, updates)
          const read = Option.getOrThrow(yield* profiles.getUserProfile(userId))
          expect(read).toMatchObject(updates)
          expect(typeof read.openness_score).toBe("number")
          expect(typeof read.message_count).toBe("number")

          // Every one of the profile's columns round-trips a value of its kind.
          const full: Record<string, unknown> = {}
          for (const [name, column] of Object.entries(userProfileColumns)) {
            if (["id", "user_id", "created_at", "updated_at"].includes(name)) continue
            full[name] =
              column.kind === "text"
                ? `${name} ✓`
                : column.kind === "real"
                  ? 0.5
                  : column.kind === "json"
                    ? { column: name, values: [1, "two"] }
                    : 1_234_567
          }
          yield* profiles.updateUserProfile(userId, full)
          expect(Option.getOrThrow(yield* profiles.getUserProfile(userId))).toMatchObject(full)
        })
      )

      it.effect("rejects unknown columns, ill-typed values and protected columns", () =>
        Effect.gen(function* () {
          const profiles = yield* UserProfileService
          const userId = unique("bad")
          yield* profiles.createUserProfile({ userId, username: "B" })
          const unknownColumn = yield* Effect.flip(profiles.updateUserProfile(userId, { favourite_colour: "red" }))
          expect(unknownColumn._tag).toBe("InvalidInput")
          expect(unknownColumn.message).toContain("favourite_colour")
          expect(yield* failureTag(profiles.updateUserProfile(userId, { "username; DROP TABLE x": "r" }))).toBe(
            "InvalidInput"
          )
          expect(yield* failureTag(profiles.updateUserProfile(userId, { openness_score: "high" }))).toBe("InvalidInput")
          expect(yield* failureTag(profiles.updateUserProfile(userId, { openness_score: Number.NaN }))).toBe(
            "InvalidInput"
          )
          expect(yield* failureTag(profiles.updateUserProfile(userId, { archetype_confidence: "x" }))).toBe(
            "InvalidInput"
          )
          expect(yield* failureTag(profiles.updateUserProfile(userId, { username: null }))).toBe("InvalidInput")
          expect(yield* failureTag(profiles.updateUserProfile(userId, { user_id: "other" }))).toBe("InvalidInput")
          expect(yield* failureTag(profiles.updateUserProfile(unique("ghost"), { username: "x" }))).toBe("NotFound")
          expect(Option.getOrThrow(yield* profiles.getUserProfile(userId)).username).toBe("B")
        })
      )

      it.effect("analysis history: save, newest first, needs-analysis selection", () =>
        Effect.gen(function* () {
          const profiles = yield* UserProfileService
          yield* TestClock.setTime(1_800_000_000_000)
          const now = 1_800_000_000
          const fresh = unique("fresh")
          const stale = unique("stale")
          const never = unique("never")
          for (const u of [fresh, stale, never]) yield* profiles.createUserProfile({ userId: u, username: u })
          // Analysed after the last interaction / interacted since the analysis / never analysed.
          yield* profiles.updateUserProfile(fresh, {
            last_interaction_at: now - 120,
            last_analyzed_at: now - 60,
            message_count: 50
          })
          yield* profiles.updateUserProfile(stale, {
            last_interaction_at: now,
            last_analyzed_at: now - 3 * 86_400,
            message_count: 50
          })
          yield* profiles.updateUserProfile(never, { last_interaction_at: now - 10, message_count: 50 })

          const needing = (yield* profiles.getUsersNeedingAnalysis({ minMessages: 10 })).map((p) => p.user_id)
          expect(needing).toContain(stale)
          expect(needing).toContain(never)
          expect(needing).not.toContain(fresh)
          // The most recent interaction first.
          expect(needing.indexOf(stale)).toBeLessThan(needing.indexOf(never))
          const none = yield* profiles.getUsersNeedingAnalysis({ minMessages: 1_000 })
          expect(none.map((p) => p.user_id)).not.toContain(stale)

          const first = yield* profiles.saveAnalysisHistory({
            userId: stale,
            feelingsSnapshot: { mood: "calm" },
            personalitySnapshot: "free text snapshot",
            messageCountAtAnalysis: 50,
            changesSummary: "first"
          })
          yield* tick
          const second = yield* profiles.saveAnalysisHistory({ userId: stale, changesSummary: "second" })
          const history = yield* profiles.getAnalysisHistory(stale)
          expect(history.map((h) => h.id)).toEqual([second.id, first.id])
          expect(history[1]).toEqual(first)
          expect((yield* profiles.getAnalysisHistory(stale, 1)).map((h) => h.id)).toEqual([second.id])
          expect(yield* failureTag(profiles.saveAnalysisHistory({ userId: unique("ghost") }))).toBe("NotFound")
          expect(yield* failureTag(profiles.getAnalysisHistory(stale, -1))).toBe("InvalidInput")

          const all = yield* profiles.getAllUserProfiles()
          expect(all.map((p) => p.user_id)).toEqual(expect.arrayContaining([fresh, stale, never]))
        })
      )

      it.effect("F9: concurrent first calls get one profile; of concurrent creates one wins, 7 AlreadyExists", () =>
        Effect.gen(function* () {
          const profiles = yield* UserProfileService
          const userId = unique("f9")
          const racers = yield* Effect.all(
            Array.from({ length: 8 }, () => profiles.getOrCreateUserProfile(userId, "Finn")),
            { concurrency: "unbounded" }
          )
          const stored = Option.getOrThrow(yield* profiles.getUserProfile(userId))
          expect(racers).toEqual(Array.from({ length: 8 }, () => stored))

          const contested = unique("f9-create")
          const outcomes = yield* Effect.all(
            Array.from({ length: 8 }, (_, i) =>
              failureTag(profiles.createUserProfile({ userId: contested, username: `c${i}` }))
            ),
            { concurrency: "unbounded" }
          )
          expect(outcomes.filter((o) => o === "success")).toHaveLength(1)
          expect(outcomes.filter((o) => o === "AlreadyExists")).toHaveLength(7)
          expect(yield* profiles.getOrCreateUserProfile(contested, "late")).toEqual(
            Option.getOrThrow(yield* profiles.getUserProfile(contested))
          )
        })
      )

      it.effect("profiles by last interaction: ties newest profile first; needs-analysis in that order, limited", () =>
        Effect.gen(function* () {
          const profiles = yield* UserProfileService
          // Later than any other test's times, so these profiles lead every listing of this database.
          const at = 3_900_000_000
          yield* TestClock.setTime(at * 1000)
          const [p1, p2, p3, p4] = [unique("p1"), unique("p2"), unique("p3"), unique("p4")]
          // p2..p4 are created in the same second: their ids (time-ordered) break the tie.
          for (const userId of [p1, p2, p3, p4]) yield* profiles.createUserProfile({ userId, username: userId })
          yield* tick
          const p5 = unique("p5")
          yield* profiles.createUserProfile({ userId: p5, username: p5 })
          yield* profiles.updateUserProfile(p1, { last_interaction_at: at + 10 })
          for (const userId of [p2, p3, p4, p5]) yield* profiles.updateUserProfile(userId, { last_interaction_at: at })
          // Analysed: p2 a second before its last interaction (due), p3 in that second and p4 after it (not due).
          yield* profiles.updateUserProfile(p2, { last_analyzed_at: at - 1 })
          yield* profiles.updateUserProfile(p3, { last_analyzed_at: at })
          yield* profiles.updateUserProfile(p4, { last_analyzed_at: at + 5 })
          const userIds = (rows: ReadonlyArray<{ user_id: string }>) => rows.map((p) => p.user_id)

          expect(userIds(yield* profiles.getAllUserProfiles(5))).toEqual([p1, p5, p4, p3, p2])
          expect(userIds(yield* profiles.getAllUserProfiles({ limit: 2, offset: 2 }))).toEqual([p4, p3])
          expect(userIds(yield* profiles.getUsersNeedingAnalysis(3))).toEqual([p1, p5, p2])
          expect(userIds(yield* profiles.getUsersNeedingAnalysis({ limit: 1 }))).toEqual([p1])
          yield* profiles.updateUserProfile(p1, { message_count: 9 })
          const talkative = userIds(yield* profiles.getUsersNeedingAnalysis({ minMessages: 9, limit: 1000 }))
          expect(talkative[0]).toBe(p1)
          expect(talkative).not.toContain(p5)
        })
      )

      it.effect("a duplicate profile is AlreadyExists, naming the user", () =>
        Effect.gen(function* () {
          const profiles = yield* UserProfileService
          const userId = unique("dup")
          yield* profiles.createUserProfile({ userId, username: "D" })
          const error = yield* Effect.flip(profiles.createUserProfile({ userId, username: "D" }))
          expect(error._tag).toBe("AlreadyExists")
          expect(error.message).toBe(`user profile ${userId} already exists`)
        })
      )
    })
  })
}
