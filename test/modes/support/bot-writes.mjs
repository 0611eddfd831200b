// A bot process for the fault tests: the bot's own writes, through the built package's root functions on its
// default database (mode and databases from the environment, as in the bot), until it is killed or has done
// BOT_ROUNDS rounds. Every acknowledged write is reported on stdout ("ack <n>"), and at a clean end the shadow's
// health snapshot ("health <json>"). Run by test/modes and bench/ with `node`.
import * as db from "../../../dist/index.js"

const rounds = Number(process.env.BOT_ROUNDS ?? "0") // 0: until killed; -1: no writes, only apply what waits
const writers = Number(process.env.BOT_WRITERS ?? "3")
const name = process.env.BOT_NAME ?? `bot${process.pid}`
const hot = process.env.BOT_HOT_USER ?? "hot"
// A pause after each round, in milliseconds: two bots writing flat out on one SQLite file starve each other of its
// write lock (SQLite's busy wait is not fair), which a real bot, writing a few times a second, never does.
const pace = Number(process.env.BOT_PACE_MS ?? "0")
let acked = 0
const ack = () => {
  acked++
  if (acked % 25 === 0) process.stdout.write(`ack ${acked}\n`)
}

const writer = async (w) => {
  const userId = `${name}-u${w}`
  await db.getOrCreateUserProfile(userId, `User ${w}`)
  await db.getOrCreateUserProfile(hot, "Hot")
  let doc = null
  for (let r = 0; rounds === 0 || r < rounds; r++) {
    await db.saveHumanMessage({
      userId,
      username: `User ${w}`,
      channelId: `c${w}`,
      channelName: "general",
      messageContent: `hello ${r} from ${userId}`,
      messageId: `${name}-${w}-${r}`
    })
    ack()
    await db.incrementMessageCount(userId)
    ack()
    await db.incrementMessageCount(hot)
    ack()
    await db.saveQuery({ userId, username: `User ${w}`, queryText: `q ${r}`, resultCount: r })
    ack()
    await db.updateUserProfile(userId, { dominant_archetype: `type-${r % 7}`, openness_score: r % 100 })
    ack()
    if (doc === null) {
      doc = await db.createDocument({ title: `Doc ${userId} ${r}`, createdBy: userId })
      ack()
    }
    await db.updateDocumentContent(doc.id, `content ${r}`)
    ack()
    await db.addCollaborator({ documentId: doc.id, userId: `${userId}-friend-${r % 3}`, role: "editor" })
    ack()
    if (r % 3 === 2) {
      await db.removeCollaborator(doc.id, `${userId}-friend-0`)
      ack()
    }
    if (r % 4 === 3) {
      await db.saveAnalysisHistory(userId, JSON.stringify({ r }), JSON.stringify({ w }), r, `round ${r}`)
      ack()
    }
    if (r % 10 === 9) {
      await db.deleteDocument(doc.id)
      ack()
      doc = null
    }
    if (pace > 0) await new Promise((resolve) => setTimeout(resolve, pace))
  }
}

const started = Date.now()
if (rounds >= 0) await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)))
else await db.getMessageCount({})
// Let the shadow catch up (this process may not be the one applying), then report what this process did.
await db.defaultDatabase().flushShadow(rounds < 0 ? 300_000 : 20_000)
const health = await db.defaultDatabase().shadowHealth()
await db.disposeDatabase()
process.stdout.write(`ack ${acked}\n`)
process.stdout.write(`health ${JSON.stringify({ ...health, seconds: (Date.now() - started) / 1000 })}\n`)
process.stdout.write("done\n")
