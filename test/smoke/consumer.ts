// Type-checked by pack-smoke.sh against the packed package's .d.ts, once as the bot compiles (strict: false,
// NodeNext) and once as its Next.js web app does (strict: true, bundler resolution).
import { Effect } from "effect"
import {
  DatabaseLive,
  disposeDatabase,
  type MessageRecord,
  MessageService,
  queryMessages,
  saveHumanMessage,
  userProfileService
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
  const profile = await userProfileService.getOrCreateUserProfile(userId, "u")
  await disposeDatabase()
  return (rows[0]?.timestamp ?? 0) + (profile.message_count ?? 0)
}

export const effectStyle = Effect.gen(function* () {
  const messages = yield* MessageService
  return yield* messages.queryMessages({ userId: "123", limit: 100 })
}).pipe(Effect.provide(DatabaseLive))

export const programs = [copyData, verify] as const
