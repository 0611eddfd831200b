// Run by pack-smoke.sh once per mode, in a fresh process whose environment selects the mode (as the bot's deploys
// do): every function of the contract's §4 with the bot's argument shapes, through the package imported by name.
// Prints the transcript of what the bot would see (ids and times made portable) as one JSON line.
import { calls } from "@repo/shared"
import * as db from "@repo/database"

const portable = (value) => {
  if (Array.isArray(value)) return value.map(portable)
  if (value === null || typeof value !== "object") return value
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === "id" || k === "document_id" || k === "timestamp" || k.endsWith("_timestamp") || k.endsWith("_at")
        ? typeof v
        : portable(v)
    ])
  )
}
const pause = () => new Promise((resolve) => setTimeout(resolve, 3))
const outcome = (promise) =>
  promise.then(
    () => "resolved",
    (error) => `rejected ${error?._tag ?? "untyped"}`
  )
const seen = {}
const bot = { userId: "u1", username: "alice", channelId: "c1", channelName: "general" }

db.initializeDatabase()
await db.initializeSchema()
await db.getOrCreateUserProfile("u1", "alice")
await db.incrementMessageCount("u1")
await db.incrementMessageCount("ghost")
const decision = { shouldRespond: true, confidence: 87, reason: "asked" }
seen.saveHuman = typeof (await db.saveHumanMessage({
  ...bot,
  guildId: "g1",
  messageContent: "hello, pizza tonight?",
  messageId: "d1",
  responseDecision: decision
}))
await pause()
await db.saveHumanMessage({
  ...bot,
  guildId: undefined,
  messageContent: "",
  messageId: "d2",
  responseDecision: decision
})
await pause()
const aiId = await db.saveAIMessage({ ...bot, messageContent: "Sure!", parentMessageId: "d1" })
await pause()
await db.saveToolExecution({
  ...bot,
  toolName: "weather",
  toolArgs: { city: "Paris" },
  toolResult: { success: true, error: undefined, at: new Date(0) }
})
await db.saveToolExecution({ ...bot, toolName: "noop", toolArgs: {}, toolResult: undefined })
seen.human = portable(await db.queryMessages({ userId: "u1", senderType: "human", limit: 1000 }))
seen.all = (await db.queryMessages({})).map((m) => m.sender_type)
seen.page = (
  await db.queryMessages({
    limit: 50,
    offset: 0,
    searchText: undefined,
    userId: undefined,
    channelId: undefined,
    senderType: undefined
  })
).length
seen.search = (await db.queryMessages({ searchText: "pizza", userId: "u1" })).map((m) => m.message_content)
seen.searchSyntax = (await db.queryMessages({ searchText: "don't" })).length
seen.byId = portable(await db.getMessageById(aiId))
seen.missingMessage = await db.getMessageById("nope")
seen.count = await db.getMessageCount({ userId: "u1", senderType: "human" })
await db.saveQuery({
  userId: "u1",
  username: "alice",
  queryText: "how many messages",
  translatedSql: "SELECT 1",
  aiSummary: "one",
  queryResult: JSON.stringify([{ n: 1 }]),
  resultCount: 0,
  executionTimeMs: 12
})
await pause()
const secondQuery = await db.saveQuery({
  userId: "u1",
  username: "alice",
  queryText: "second",
  error: "boom",
  executionTimeMs: 3
})
seen.recent = portable(await db.getRecentQueries({ userId: "u1", limit: 1, offset: 1 }))
seen.queryById = portable(await db.getQueryById(secondQuery))
seen.queryCount = await db.getQueryCount({ userId: "u1" })
const plan = await db.createDocument({
  title: "Plan",
  content: "x",
  createdBy: "u1",
  createdByUsername: "alice",
  isPublic: true
})
seen.created = portable(plan)
await db.createDocument({
  title: "Other",
  content: "",
  createdBy: "anonymous",
  createdByUsername: "Anonymous",
  isPublic: true
})
await db.addCollaborator({ documentId: plan.id, userId: "u2", username: "bob", role: "admin" })
seen.addMissing = await outcome(
  db.addCollaborator({ documentId: "nope", userId: "u2", username: "bob", role: "editor" })
)
seen.collaborators = (await db.getDocumentCollaborators(plan.id)).map((c) => `${c.user_id}:${c.role}`)
await db.updateDocumentContent(plan.id, "y")
await db.updateDocumentTitle(plan.id, "Plan v2")
await db.updateDocumentTitle("nope", "T")
seen.document = portable(await db.getDocument(plan.id))
seen.list = (await db.listDocuments({ createdBy: "u1", limit: 20, offset: 0 })).map((d) => d.title)
seen.listWeb = (await db.listDocuments({ createdBy: undefined, limit: NaN, offset: 0 })).length
seen.docCount = await db.getDocumentCount({ createdBy: "u1" })
seen.access = [await db.hasDocumentAccess(plan.id, "u2"), await db.hasDocumentAccess("nope", "u2")]
await db.removeCollaborator(plan.id, "u2")
await db.deleteDocument((await db.listDocuments({ createdBy: "anonymous" }))[0].id)
await db.deleteDocument("nope")
const now = Math.floor(Date.now() / 1000)
const feelings = JSON.stringify({ sentiment: "positive", trustLevel: 80, affinityScore: 72.5 })
await db.updateUserProfile("u1", {
  username: "alice",
  message_count: 12,
  last_analyzed_at: now - 3600,
  feelings_json: feelings,
  secondary_archetypes: '["Hero"]',
  affinity_score: 72.5,
  trust_level: "80",
  dominant_archetype: null
})
seen.bogus = await outcome(db.updateUserProfile("u1", { bogus_column: 1 }))
await db.updateUserProfile("ghost", { omega_thoughts: "x" })
await db.saveAnalysisHistory("u1", feelings, JSON.stringify({ quirks: ["puns"] }), 12, "first")
await db.getOrCreateUserProfile("u2", "bob")
await db.updateUserProfile("u2", { last_interaction_at: now - 120, last_analyzed_at: now - 60 })
seen.profile = portable(await db.getUserProfile("u1"))
seen.nobody = await db.getUserProfile("nobody")
seen.createAgain = await outcome(db.createUserProfile("u1", "alice"))
seen.history = portable(await db.getAnalysisHistory("u1"))
seen.needing = (await db.getUsersNeedingAnalysis(100)).map((p) => p.user_id)
seen.everyone = (await db.getAllUserProfiles()).map((p) => p.user_id)
seen.analyzerContext = calls.filter((c) => c.kind === "message").map((c) => c.context.previousMessages.length)
// What depends on the mode by design: the flags, and raw SQL (always the SQLite file, whatever the mode).
const modeSpecific = { dbConfig: { ...db.DB_CONFIG } }
try {
  const raw = await db
    .getDatabase()
    .execute({ sql: "SELECT count(*) AS n FROM messages WHERE user_id = ?", args: ["u1"] })
  modeSpecific.raw = { rows: raw.rows.map((r) => ({ ...r })), columns: raw.columns }
} catch (error) {
  modeSpecific.raw = `rejected: ${error.message}`
}
await db.closeDatabase()
process.stdout.write(`${JSON.stringify({ seen, modeSpecific })}\n`)
