/**
 * The filters of `queryMessages`. All combine with AND, search included. `startTime`/`endTime` bound
 * `messages.timestamp` (epoch milliseconds, inclusive). `searchText` is plain words from a user, never engine
 * syntax: every word must occur (AND), punctuation and operators are ignored.
 */
import { Schema } from "effect"
import { SenderType } from "./Message.js"

const Limit = Schema.Int.pipe(
  Schema.between(0, 10_000, { message: () => "limit must be an integer between 0 and 10000" })
)
const Offset = Schema.Int.pipe(Schema.nonNegative({ message: () => "offset must be a non-negative integer" }))

export const MessageFilter = Schema.Struct({
  userId: Schema.optional(Schema.String),
  channelId: Schema.optional(Schema.String),
  senderType: Schema.optional(SenderType),
  startTime: Schema.optional(Schema.Number),
  endTime: Schema.optional(Schema.Number),
  limit: Schema.optional(Limit),
  offset: Schema.optional(Offset),
  searchText: Schema.optional(Schema.String)
}).annotations({ identifier: "MessageFilter" })
export type MessageFilter = typeof MessageFilter.Type

export const Paging = Schema.Struct({
  limit: Schema.optional(Limit),
  offset: Schema.optional(Offset)
})
export type Paging = typeof Paging.Type

export const defaultLimit = 100

/**
 * The words of a user's search: runs of letters and digits, lower-cased, de-duplicated. Both backends tokenize
 * this way (FTS5 unicode61, PostgreSQL's `simple` configuration), so the same words find the same rows.
 */
export const searchWords = (text: string): ReadonlyArray<string> => {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
  return [...new Set(words)]
}
