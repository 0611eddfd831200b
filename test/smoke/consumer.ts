// Type-checked by pack-smoke.sh against the packed package's .d.ts, once as the bot compiles (strict: false,
// NodeNext) and once as its Next.js web app does (strict: true, bundler resolution).
import { Effect } from "effect"
import { DatabaseLive, disposeDatabase, MessageService, messageService, userProfileService } from "@repo/database"
import { copyData, verify } from "@repo/database/migrate"

export const promiseStyle = async (userId: string): Promise<number> => {
  const saved = await messageService.saveHumanMessage({ userId, username: "u", channelId: "c", content: "hi" })
  const profile = await userProfileService.getOrCreateUserProfile(userId, "u")
  await disposeDatabase()
  return saved.timestamp + (profile.message_count ?? 0)
}

export const effectStyle = Effect.gen(function* () {
  const messages = yield* MessageService
  return yield* messages.queryMessages({ userId: "123", limit: 100 })
}).pipe(Effect.provide(DatabaseLive))

export const programs = [copyData, verify] as const
