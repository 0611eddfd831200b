// Run by pack-smoke.sh in a folder where the packed package is installed: import it by name with plain node and
// do one write and one read on SQLite, as the bot would.
import { disposeDatabase, getMessageById, saveHumanMessage } from "@repo/database"

const id = await saveHumanMessage({
  userId: "smoke-user",
  username: "smoke",
  channelId: "smoke-channel",
  channelName: "general",
  messageContent: "hello from the packed package",
  messageId: "smoke-discord-id"
})
const read = await getMessageById(id)
await disposeDatabase()
if (read?.message_content !== "hello from the packed package") {
  process.stderr.write(`smoke: read back ${JSON.stringify(read)}\n`)
  process.exit(1)
}
process.stdout.write(`smoke: wrote and read message ${id} on SQLite\n`)
