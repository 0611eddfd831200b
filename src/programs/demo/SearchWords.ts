/**
 * The words the demo's verify searches on both databases: sampled from the messages like verify's own sample,
 * but only words whose matches fit in one page of search results (verify compares at most 1,000 ids per word).
 * A word with more matches is compared on its newest 1,000 only, and one explained difference (a rejected
 * legacy row) shifts that window, so the tail differs for no real reason; see the report to the lead.
 */
import { Effect } from "effect"
import { SqliteDatabase } from "../../runtime/layers/SqliteDatabase.js"

/** Well under verify's 1,000-id page, so both sides return every match. */
const maxMatches = 500

export const pageSizedWords = (count: number) =>
  Effect.gen(function* () {
    const { sql } = yield* SqliteDatabase
    const samples = yield* sql<{ message_content: string }>`SELECT message_content FROM messages
      WHERE message_content <> '' ORDER BY random() LIMIT ${count * 10}`
    const picked: Array<string> = []
    for (const { message_content } of samples) {
      if (picked.length >= count) break
      const candidates = (
        String(message_content)
          .toLowerCase()
          .match(/[a-z]{3,}/g) ?? []
      ).filter((w) => !picked.includes(w))
      for (const word of candidates) {
        const [row] = yield* sql<{
          n: number
        }>`SELECT COUNT(*) AS n FROM messages_fts WHERE messages_fts MATCH ${`"${word}"`}`
        const n = Number(row?.n ?? 0)
        if (n > 0 && n <= maxMatches) {
          picked.push(word)
          break
        }
      }
    }
    return picked
  })
