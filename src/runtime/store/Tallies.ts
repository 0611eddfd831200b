/**
 * Which counts a tally answers (PostgreSQL migration 10, SQLite migration 7: `row_tallies`, kept by triggers on
 * both backends): a user's messages, a user's messages of one sender type, a channel's messages and a user's
 * queries, with no time range and no search. Any other count is counted from the rows.
 */
import { isBlankSearch, type MessageCountFilter } from "../domain/MessageFilter.js"

export interface Tally {
  readonly dimension: string
  readonly key: string
}

/** The tally that holds this message count, if one does. */
export const messageTally = (filter: MessageCountFilter): Tally | undefined => {
  const searches = filter.searchText !== undefined && !isBlankSearch(filter.searchText)
  if (searches || filter.startTime !== undefined || filter.endTime !== undefined) return undefined
  if (filter.userId !== undefined && filter.channelId === undefined) {
    return filter.senderType === undefined
      ? { dimension: "messages.user_id", key: filter.userId }
      : { dimension: `messages.user_id.${filter.senderType}`, key: filter.userId }
  }
  if (filter.channelId !== undefined && filter.userId === undefined && filter.senderType === undefined) {
    return { dimension: "messages.channel_id", key: filter.channelId }
  }
  return undefined
}

/** The tally of a user's queries. */
export const queryTally = (userId: string): Tally => ({ dimension: "queries.user_id", key: userId })
