/**
 * The bot's contract in all five modes: one transcript of the bot's calls (contract §6 call sites, Appendix A
 * outcomes) run through the package root in each mode the environment can select. Every mode must give the same
 * transcript, in the legacy shapes; in the shadowed modes both databases must end up holding the same rows; and the
 * SQLite file written in each mode must read back in the legacy shapes with the shadow switched off (a rollback).
 */
import { describe, expect, it } from "@effect/vitest"
import {
  addCollaborator,
  closeDatabase,
  createDocument,
  defaultDatabase,
  deleteDocument,
  getAllUserProfiles,
  getAnalysisHistory,
  getDocument,
  getDocumentCollaborators,
  getDocumentCount,
  getMessageCount,
  getOrCreateUserProfile,
  getQueryCount,
  getRecentQueries,
  getUserProfile,
  getUsersNeedingAnalysis,
  incrementMessageCount,
  listDocuments,
  queryMessages,
  registerAnalyzer,
  saveAIMessage,
  saveAnalysisHistory,
  saveHumanMessage,
  saveQuery,
  saveToolExecution,
  updateDocumentTitle,
  updateUserProfile
} from "../../src/index.js"
import { pause, postgresExec, sqliteExec, useDefaultDatabase } from "./support/DefaultDatabaseEnv.js"

type ModeName = "sqlite" | "sqlite+pg-shadow" | "sqlite+pg-shadow, pg reads" | "postgres" | "postgres+sqlite-shadow"

/** The environment of each mode, on top of SQLITE_PATH and POSTGRES_URL. */
const modes: ReadonlyArray<readonly [ModeName, "sqlite" | "postgres" | "shadow", Record<string, string>]> = [
  ["sqlite", "sqlite", {}],
  ["sqlite+pg-shadow", "shadow", {}],
  ["sqlite+pg-shadow, pg reads", "shadow", { USE_POSTGRES_READ: "true" }],
  ["postgres", "postgres", {}],
  ["postgres+sqlite-shadow", "postgres", { USE_POSTGRES_SHADOW: "true" }]
]

const analysis = {
  summary: "summary",
  sentimentAnalysis: { sentiment: "positive", confidence: 0.9, emotionalTone: ["happy"], explanation: "fixed" },
  interactionMetrics: {
    interactionType: "question",
    userIntent: "information_seeking",
    botPerception: "helpful",
    conversationQuality: "engaging"
  }
}

/** Ids and times differ by run; everything else of a row is compared as the bot would see it. */
const portable = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(portable)
  if (value === null || typeof value !== "object") return value
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      key === "id" || key === "document_id"
        ? typeof v
        : key === "timestamp" || key.endsWith("_at") || key === "analysis_timestamp"
          ? v === null
            ? null
            : typeof v
          : portable(v)
    ])
  )
}

/** The bot's calls, in the order its handlers make them; returns what it would see of each. */
const transcript = async (): Promise<Record<string, unknown>> => {
  const seen: Record<string, unknown> = {}
  await getOrCreateUserProfile("u1", "alice")
  await incrementMessageCount("u1")
  const human = await saveHumanMessage({
    userId: "u1",
    username: "alice",
    channelId: "c1",
    channelName: "general",
    guildId: "g1",
    messageContent: "hello, pizza tonight?",
    messageId: "d1",
    responseDecision: { shouldRespond: true, confidence: 87, reason: "asked" }
  })
  seen["saveHumanMessage"] = typeof human
  await pause()
  await saveHumanMessage({
    userId: "u1",
    username: "alice",
    channelId: "c1",
    channelName: "general",
    messageContent: "",
    messageId: "d2"
  })
  await pause()
  await saveAIMessage({
    userId: "u1",
    username: "alice",
    channelId: "c1",
    channelName: "general",
    messageContent: "Sure!",
    parentMessageId: "d1"
  })
  await pause()
  await saveToolExecution({
    userId: "u1",
    username: "alice",
    channelId: "c1",
    channelName: "general",
    toolName: "weather",
    toolArgs: { city: "Paris" },
    toolResult: { success: true, error: undefined, at: new Date(0) }
  })
  seen["queryMessages(user, human, 1000)"] = portable(
    await queryMessages({ userId: "u1", senderType: "human", limit: 1000 })
  )
  seen["queryMessages({})"] = (await queryMessages({})).map((m) => m.sender_type)
  seen["queryMessages(search pizza, user other)"] = (
    await queryMessages({ searchText: "pizza", userId: "other" })
  ).length
  seen["queryMessages(search don't)"] = (await queryMessages({ searchText: "don't" })).length
  seen["getMessageCount(user, human)"] = await getMessageCount({ userId: "u1", senderType: "human" })

  await saveQuery({
    userId: "u1",
    username: "alice",
    queryText: "how many messages",
    queryResult: "[]",
    resultCount: 0,
    executionTimeMs: 12
  })
  await pause()
  await saveQuery({ userId: "u1", username: "alice", queryText: "second", error: "boom", executionTimeMs: 3 })
  seen["getRecentQueries(limit 1)"] = (await getRecentQueries({ userId: "u1", limit: 1, offset: 0 })).map(
    (q) => q.query_text
  )
  seen["getRecentQueries(offset 1)"] = portable(await getRecentQueries({ userId: "u1", limit: 1, offset: 1 }))
  seen["getQueryCount"] = await getQueryCount({ userId: "u1" })

  const plan = await createDocument({
    title: "Plan",
    content: "x",
    createdBy: "u1",
    createdByUsername: "alice",
    isPublic: true
  })
  seen["createDocument"] = portable(plan)
  await createDocument({ title: "Other", createdBy: "u9", isPublic: true })
  await addCollaborator({ documentId: plan.id, userId: "u2", username: "bob", role: "admin" })
  seen["addCollaborator(missing document)"] = await addCollaborator({ documentId: "nope", userId: "u2" }).then(
    () => "resolved",
    () => "rejected"
  )
  seen["getDocumentCollaborators"] = (await getDocumentCollaborators(plan.id)).map((c) => `${c.user_id}:${c.role}`)
  await updateDocumentTitle(plan.id, "Plan v2")
  await updateDocumentTitle("nope", "T")
  seen["getDocument"] = portable(await getDocument(plan.id))
  seen["listDocuments(u1)"] = (await listDocuments({ createdBy: "u1", limit: 20, offset: 0 })).map((d) => d.title)
  seen["getDocumentCount(u1)"] = await getDocumentCount({ createdBy: "u1" })
  const other = (await listDocuments({ createdBy: "u9" }))[0]!
  await deleteDocument(other.id)
  seen["getDocument(deleted)"] = await getDocument(other.id)

  const feelings = JSON.stringify({ sentiment: "positive", trustLevel: 80, affinityScore: 72.5 })
  await updateUserProfile("u1", {
    username: "alice",
    message_count: 12,
    feelings_json: feelings,
    secondary_archetypes: '["Hero"]',
    affinity_score: 72.5,
    trust_level: "80" as unknown as number,
    dominant_archetype: null
  })
  await saveAnalysisHistory("u1", feelings, JSON.stringify({ quirks: ["puns"] }), 12, "first")
  await getOrCreateUserProfile("u2", "bob")
  const now = Math.floor(Date.now() / 1000)
  await updateUserProfile("u2", { last_interaction_at: now - 120, last_analyzed_at: now - 60 })
  seen["getUserProfile(u1)"] = portable(await getUserProfile("u1"))
  seen["getUserProfile(nobody)"] = await getUserProfile("nobody")
  seen["getAnalysisHistory(u1)"] = portable(await getAnalysisHistory("u1"))
  seen["getUsersNeedingAnalysis(100)"] = (await getUsersNeedingAnalysis(100)).map((p) => p.user_id)
  seen["getAllUserProfiles()"] = (await getAllUserProfiles()).map((p) => p.user_id)
  return seen
}

/** Every row of every table the transcript writes, ids and times made portable, in a stable order. */
const tables = ["messages", "queries", "documents", "document_collaborators", "user_profiles", "user_analysis_history"]
const orderBy: Record<string, string> = {
  messages: "timestamp, message_content",
  queries: "timestamp",
  documents: "title",
  document_collaborators: "user_id",
  user_profiles: "user_id",
  user_analysis_history: "user_id"
}

/** A stored value as comparable across backends: PostgreSQL's BIGINT/NUMERIC text and JSONB made plain. */
const plain = (value: unknown): unknown =>
  value instanceof Date
    ? value.getTime()
    : typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)
      ? Number(value)
      : value

const sqliteRows = (path: string) =>
  Object.fromEntries(
    tables.map((table) => [
      table,
      sqliteExec(path, `SELECT * FROM ${table} ORDER BY ${orderBy[table]}`).map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([k, v]) => [
            k,
            typeof v === "string" && /^[[{]/.test(v) ? plain(JSON.parse(v)) : k === "is_public" ? v === 1 : plain(v)
          ])
        )
      )
    ])
  )

const postgresRows = async (url: string) =>
  Object.fromEntries(
    await Promise.all(
      tables.map(async (table) => [
        table,
        (await postgresExec(url, `SELECT * FROM ${table} ORDER BY ${orderBy[table]}`)).map((row) =>
          Object.fromEntries(
            // search_vector is PostgreSQL's stored search column (migration 7), derived from the content; SQLite
            // keeps its index in the FTS5 table instead.
            Object.entries(row)
              .filter(([k]) => k !== "search_vector")
              .map(([k, v]) => [k, plain(v)])
          )
        )
      ])
    )
  )

const transcripts: Partial<Record<ModeName, Record<string, unknown>>> = {}

registerAnalyzer({
  analyzeMessage: () => Promise.resolve(analysis),
  analyzeQuery: () =>
    Promise.resolve({
      sentimentAnalysis: analysis.sentimentAnalysis,
      queryMetrics: { queryComplexity: "simple", userSatisfaction: "satisfied" }
    })
})

for (const [mode, setup, extra] of modes) {
  describe(`mode ${mode}`, () => {
    const env = useDefaultDatabase(setup)

    it("answers the bot's calls in the legacy shapes", async () => {
      const saved = { ...process.env }
      Object.assign(process.env, extra)
      try {
        const seen = await transcript()
        transcripts[mode] = seen
        // The Appendix A outcomes (or their FIX), in every mode.
        expect(seen["queryMessages({})"]).toEqual(["tool", "ai", "human", "human"])
        expect(seen["queryMessages(search pizza, user other)"]).toBe(0) // F2: the user filter applies
        expect(seen["queryMessages(search don't)"]).toBe(0) // F1: plain words, no rejection
        expect(seen["getMessageCount(user, human)"]).toBe(2)
        expect(seen["getRecentQueries(limit 1)"]).toEqual(["second"])
        expect(seen["getQueryCount"]).toBe(2)
        expect(seen["addCollaborator(missing document)"]).toBe("rejected")
        expect(seen["getDocumentCollaborators"]).toEqual(["u1:owner", "u2:admin"])
        expect(seen["listDocuments(u1)"]).toEqual(["Plan v2"])
        expect(seen["getDocumentCount(u1)"]).toBe(1)
        expect(seen["getDocument(deleted)"]).toBeNull()
        expect(seen["getUserProfile(nobody)"]).toBeNull()
        expect(seen["getUsersNeedingAnalysis(100)"]).toEqual(["u1"])
        expect(seen["getAllUserProfiles()"]).toEqual(["u1", "u2"])
        const profile = (await getUserProfile("u1"))!
        expect(Object.keys(profile)).toHaveLength(116)
        expect(profile).toMatchObject({ affinity_score: 72.5, trust_level: 80, dominant_archetype: null })
        expect(JSON.parse(profile.feelings_json!)).toMatchObject({ affinityScore: 72.5 })
        const [empty, first] = await queryMessages({ userId: "u1", senderType: "human" })
        expect(empty!.message_content).toBe("")
        expect(JSON.parse(first!.sentiment_analysis!)).toMatchObject({ sentiment: "positive" })
        expect(JSON.parse(first!.response_decision!)).toEqual({ shouldRespond: true, confidence: 87, reason: "asked" })
        expect(typeof first!.timestamp).toBe("number")
        const document = (await listDocuments({ createdBy: "u1" }))[0]!
        expect(document.is_public).toBe(1)
        if (setup === "shadow" || extra["USE_POSTGRES_SHADOW"] === "true") {
          expect(await defaultDatabase().flushShadow(30_000)).toBe(true)
        }
      } finally {
        process.env = saved
      }
    })

    if (setup === "shadow" || extra["USE_POSTGRES_SHADOW"] === "true") {
      it("leaves both databases holding the same rows", async () => {
        const postgres = await postgresRows(env.postgresUrl())
        const sqlite = sqliteRows(env.sqlitePath())
        for (const table of tables) {
          expect(sqlite[table]!.length, table).toBeGreaterThan(0)
          expect(portable(postgres[table]), table).toEqual(portable(sqlite[table]))
        }
      })
    }

    if (setup !== "postgres" || extra["USE_POSTGRES_SHADOW"] === "true") {
      it("leaves a SQLite file that reads back in the legacy shapes with the shadow off (rollback)", async () => {
        await closeDatabase()
        const saved = { ...process.env }
        for (const name of ["USE_POSTGRES_PRIMARY", "USE_POSTGRES_READ", "USE_POSTGRES_SHADOW", "POSTGRES_URL"]) {
          delete process.env[name]
        }
        try {
          const messages = await queryMessages({ userId: "u1", limit: 1000 })
          expect(messages.map((m) => m.sender_type)).toEqual(["tool", "ai", "human", "human"])
          expect(typeof messages[0]!.tool_result).toBe("string")
          const profile = (await getUserProfile("u1"))!
          expect(profile.affinity_score).toBe(72.5)
          expect(JSON.parse(profile.secondary_archetypes!)).toEqual(["Hero"])
          expect((await listDocuments({ createdBy: "u1" }))[0]!.is_public).toBe(1)
        } finally {
          await closeDatabase()
          process.env = saved
        }
      })
    }
  })
}

describe("every mode", () => {
  it("gives the same transcript", () => {
    const reference = transcripts["sqlite"]
    expect(reference).toBeDefined()
    for (const [mode] of modes) expect(transcripts[mode], mode).toEqual(reference)
  })
})
