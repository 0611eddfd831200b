/**
 * Inputs for the read checks, drawn from the data itself: the most active user (the heaviest timeline), words
 * of randomly chosen messages (searched on both sides), and a string-valued key of some message's metadata
 * (the JSONB lookup).
 */
import type { SqlClient, SqlError } from "@effect/sql"
import { Effect } from "effect"
import { searchWords } from "../../../runtime/domain/MessageFilter.js"

export interface JsonbSample {
  readonly messageId: string
  readonly key: string
  readonly value: string
}

export interface Samples {
  readonly userId: string | undefined
  readonly words: ReadonlyArray<string>
  readonly jsonb: JsonbSample | undefined
}

/** The user with the most messages: the timeline that costs the most to read. */
export const busiestUser = (pg: SqlClient.SqlClient): Effect.Effect<string | undefined, SqlError.SqlError> =>
  pg<{ user_id: string }>`SELECT user_id FROM messages WHERE user_id IS NOT NULL
    GROUP BY user_id ORDER BY COUNT(*) DESC, user_id LIMIT 1`.pipe(Effect.map((rows) => rows[0]?.user_id))

/**
 * One word from each of several random messages: its longest word of three or more characters, so the searches
 * are selective rather than matching every row.
 */
export const sampleWords = (
  sql: SqlClient.SqlClient,
  count: number
): Effect.Effect<ReadonlyArray<string>, SqlError.SqlError> =>
  sql<{ message_content: string }>`SELECT message_content FROM messages WHERE message_content <> ''
    ORDER BY random() LIMIT ${count * 3}`.pipe(
    Effect.map((rows) => {
      const picked: Array<string> = []
      for (const row of rows) {
        if (picked.length >= count) break
        const words = searchWords(String(row.message_content))
          .filter((w) => [...w].length >= 3 && !picked.includes(w))
          .sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
        if (words[0] !== undefined) picked.push(words[0])
      }
      return picked
    })
  )

/** A top-level key with a string value in some message's metadata, among a thousand messages that have any. */
export const sampleJsonb = (pg: SqlClient.SqlClient): Effect.Effect<JsonbSample | undefined, SqlError.SqlError> =>
  pg<{ id: string; key: string; value: string }>`SELECT m.id, e.key, e.value #>> '{}' AS value
    FROM (SELECT id, metadata FROM messages WHERE jsonb_typeof(metadata) = 'object' LIMIT 1000) m,
         jsonb_each(m.metadata) e
    WHERE jsonb_typeof(e.value) = 'string'
    ORDER BY random() LIMIT 1`.pipe(
    Effect.map((rows) =>
      rows[0] === undefined ? undefined : { messageId: rows[0].id, key: rows[0].key, value: rows[0].value }
    )
  )
