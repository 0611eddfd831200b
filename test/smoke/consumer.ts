// Type-checked by pack-smoke.sh against the packed package's .d.ts, once as the bot compiles (strict: false,
// NodeNext) and once as its Next.js web app does (strict: true, bundler resolution).
import { Effect } from "effect"
import {
  createDocument,
  DatabaseLive,
  disposeDatabase,
  type DocumentRecord,
  getDocumentCount,
  getOrCreateUserProfile,
  listDocuments,
  type MessageRecord,
  MessageService,
  queryMessages,
  saveHumanMessage,
  updateUserProfile,
  type UserProfileRecord
} from "@repo/database"
import { copyData, verify } from "@repo/database/migrate"

export const promiseStyle = async (userId: string): Promise<number> => {
  // The bot's call shape (messageHandler.ts): guildId undefined in DMs.
  await saveHumanMessage({
    userId,
    username: "u",
    channelId: "c",
    channelName: "DM",
    guildId: undefined,
    messageContent: "hi",
    messageId: "discord-1",
    responseDecision: { shouldRespond: true, confidence: 87, reason: "mentioned" }
  })
  const rows: Array<MessageRecord> = await queryMessages({ userId, senderType: "human", limit: 1000 })
  const profile: UserProfileRecord = await getOrCreateUserProfile(userId, "u")
  // userProfileAnalysis.ts: JSON columns as JSON text, null clears a column, undefined is skipped.
  await updateUserProfile(userId, {
    username: "u",
    message_count: 12,
    feelings_json: JSON.stringify({ affinityScore: 72.5 }),
    dominant_archetype: null,
    distinctive_features: undefined
  })
  await disposeDatabase()
  return (rows[0]?.timestamp ?? 0) + profile.message_count
}

// The web app's documents route (apps/web/app/api/documents/route.ts), compiled with strict: true.
export const webDocuments = async (query: { createdBy?: string; limit?: string; page?: string; userId: string }) => {
  const createdBy: string | undefined = query.createdBy || undefined
  const limit: number = parseInt(query.limit || "20")
  const offset = (parseInt(query.page || "1") - 1) * limit
  const documents: Array<DocumentRecord> = await listDocuments({ createdBy, limit, offset })
  const total: number = await getDocumentCount({ createdBy })
  const created = await createDocument({ title: "t", content: "", createdBy: query.userId, isPublic: true })
  return { documents, total, id: created.id, isPublic: created.is_public }
}

export const effectStyle = Effect.gen(function* () {
  const messages = yield* MessageService
  return yield* messages.queryMessages({ userId: "123", limit: 100 })
}).pipe(Effect.provide(DatabaseLive))

export const programs = [copyData, verify] as const
