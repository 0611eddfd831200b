/**
 * The reads the bot makes (contract §4 and §6), as the Store sends them, each with the PostgreSQL indexes that
 * serve it: the ones whose order is the read's order after its equality filters, or, for a search, the GIN index.
 * verify's latency and plan checks and bench/read-bench.ts run this one list, so what is measured is what is
 * checked (the benchmark also runs the reads no caller makes: `calledByBot: false`).
 */
import type { SqlClient, SqlError } from "@effect/sql"
import { Effect } from "effect"
import type { StoreError } from "../../../runtime/domain/Errors.js"
import { pgSearchIndexName } from "../../../runtime/schema/CurrentSchema.js"
import type { Store } from "../../../runtime/store/Store.js"
import type { Samples } from "./Samples.js"

export type ReadKind = "timeline" | "count" | "lookup" | "search"

/** The arguments of one run of the reads: who, where and which word. */
export interface ReadArguments {
  /** An author of messages (a heavy one makes the longest timelines). */
  readonly userId: string
  readonly channelId: string
  /** One word of a search. */
  readonly word: string
  /** A user with saved queries. */
  readonly queryUserId: string
  /** A creator of documents. */
  readonly creator: string
  /** An existing message. */
  readonly messageId: string
}

export interface BotRead {
  readonly name: string
  readonly kind: ReadKind
  /** The read with its arguments, as shown in reports. */
  readonly describe: (args: ReadArguments) => string
  readonly run: (store: Store, args: ReadArguments) => Effect.Effect<unknown, StoreError>
  /** PostgreSQL indexes any of which serves the read. */
  readonly servedBy: ReadonlyArray<string>
  /**
   * The GIN index must be usable for the read as sent, whatever the planner prefers on this data: one search is
   * enough to catch a search condition that drifted from the index.
   */
  readonly needsSearchIndex?: boolean
  /**
   * false for a read no caller of the contract makes (§6), measured by the benchmark only: a count with a search
   * (contract F2 added it; the bot's and the web app's counts have none).
   */
  readonly calledByBot?: boolean
}

/**
 * The indexes of one user's messages: any serves a read of that user, in its order or, for a user with few
 * messages, by sorting them (which the planner rightly prefers then; the single-column one also counts them and
 * feeds bitmap combinations, PostgreSQL migration 9). The whole table's time index cannot serve a read of one user
 * (migration 8), so a plan on none of them has fallen back to a scan.
 */
const userIndexes = ["idx_messages_user_time", "idx_messages_user_sender_time", "idx_messages_user_id"]

/** The same for one channel. */
const channelIndexes = ["idx_messages_channel_time", "idx_messages_channel_id"]

/** Any of these gives a search its order, the search vector tested row by row (a common word). */
const searchOrder = {
  all: ["idx_messages_time"],
  user: userIndexes,
  channel: channelIndexes
} as const

/** The counts the tally triggers keep (PostgreSQL migration 10): one row of `row_tallies`, by its key. */
const tallies = ["row_tallies_pkey"]

export const botReads: ReadonlyArray<BotRead> = [
  {
    name: "a user's latest 100 messages",
    kind: "timeline",
    describe: (a) => `queryMessages({ userId: ${a.userId}, limit: 100 })`,
    run: (store, a) => store.queryMessages({ userId: a.userId, limit: 100 }),
    servedBy: userIndexes
  },
  {
    name: "a user's last 1,000 human messages (profile analysis)",
    kind: "timeline",
    describe: (a) => `queryMessages({ userId: ${a.userId}, senderType: human, limit: 1000 })`,
    run: (store, a) => store.queryMessages({ userId: a.userId, senderType: "human", limit: 1000 }),
    servedBy: userIndexes
  },
  {
    name: "a user's 5 latest human messages (context of a saved message)",
    kind: "timeline",
    describe: (a) => `queryMessages({ userId: ${a.userId}, senderType: human, limit: 5 })`,
    run: (store, a) => store.queryMessages({ userId: a.userId, senderType: "human", limit: 5 }),
    servedBy: userIndexes
  },
  {
    name: "a channel's latest 100",
    kind: "timeline",
    describe: (a) => `queryMessages({ channelId: ${a.channelId}, limit: 100 })`,
    run: (store, a) => store.queryMessages({ channelId: a.channelId, limit: 100 }),
    servedBy: channelIndexes
  },
  {
    name: "every message, page 2 of 50",
    kind: "timeline",
    describe: () => "queryMessages({ limit: 50, offset: 50 })",
    run: (store) => store.queryMessages({ limit: 50, offset: 50 }),
    servedBy: ["idx_messages_time"]
  },
  {
    name: "count of a user's human messages",
    kind: "count",
    describe: (a) => `getMessageCount({ userId: ${a.userId}, senderType: human })`,
    run: (store, a) => store.countMessages({ userId: a.userId, senderType: "human" }),
    servedBy: tallies
  },
  {
    name: "count of a user's messages",
    kind: "count",
    describe: (a) => `getMessageCount({ userId: ${a.userId} })`,
    run: (store, a) => store.countMessages({ userId: a.userId }),
    servedBy: tallies
  },
  {
    name: "count of a channel's messages (the web app's page count)",
    kind: "count",
    describe: (a) => `getMessageCount({ channelId: ${a.channelId} })`,
    run: (store, a) => store.countMessages({ channelId: a.channelId }),
    servedBy: tallies
  },
  {
    name: "a message by id",
    kind: "lookup",
    describe: (a) => `getMessageById(${a.messageId})`,
    run: (store, a) => store.getMessageById(a.messageId),
    servedBy: ["messages_pkey"]
  },
  {
    name: "search a word, latest 100",
    kind: "search",
    describe: (a) => `queryMessages({ searchText: ${a.word}, limit: 100 })`,
    run: (store, a) => store.queryMessages({ searchText: a.word, limit: 100 }),
    servedBy: [pgSearchIndexName, ...searchOrder.all],
    needsSearchIndex: true
  },
  {
    name: "search a word within a channel, latest 100",
    kind: "search",
    describe: (a) => `queryMessages({ searchText: ${a.word}, channelId: ${a.channelId}, limit: 100 })`,
    run: (store, a) => store.queryMessages({ searchText: a.word, channelId: a.channelId, limit: 100 }),
    servedBy: [pgSearchIndexName, ...searchOrder.channel]
  },
  {
    name: "search a word by a user, latest 100",
    kind: "search",
    describe: (a) => `queryMessages({ searchText: ${a.word}, userId: ${a.userId}, limit: 100 })`,
    run: (store, a) => store.queryMessages({ searchText: a.word, userId: a.userId, limit: 100 }),
    servedBy: [pgSearchIndexName, ...searchOrder.user]
  },
  {
    name: "count of a word's messages within a channel",
    kind: "search",
    describe: (a) => `getMessageCount({ searchText: ${a.word}, channelId: ${a.channelId} })`,
    run: (store, a) => store.countMessages({ searchText: a.word, channelId: a.channelId }),
    servedBy: [pgSearchIndexName, ...searchOrder.channel],
    calledByBot: false
  },
  {
    name: "count of a word's messages by a user",
    kind: "search",
    describe: (a) => `getMessageCount({ searchText: ${a.word}, userId: ${a.userId} })`,
    run: (store, a) => store.countMessages({ searchText: a.word, userId: a.userId }),
    servedBy: [pgSearchIndexName, ...searchOrder.user],
    calledByBot: false
  },
  {
    name: "a user's recent queries, page 2",
    kind: "timeline",
    describe: (a) => `getRecentQueries({ userId: ${a.queryUserId}, limit: 50, offset: 50 })`,
    run: (store, a) => store.recentQueries({ userId: a.queryUserId, limit: 50, offset: 50 }),
    servedBy: ["idx_queries_user_time"]
  },
  {
    name: "count of a user's queries",
    kind: "count",
    describe: (a) => `getQueryCount({ userId: ${a.queryUserId} })`,
    run: (store, a) => store.countQueries(a.queryUserId),
    servedBy: tallies
  },
  {
    name: "documents by creator",
    kind: "timeline",
    describe: (a) => `listDocuments({ createdBy: ${a.creator}, limit: 50 })`,
    run: (store, a) => store.listDocuments({ createdBy: a.creator, limit: 50, offset: 0 }),
    servedBy: ["idx_documents_creator_updated"]
  },
  {
    name: "count of a creator's documents",
    kind: "count",
    describe: (a) => `getDocumentCount({ createdBy: ${a.creator} })`,
    run: (store, a) => store.countDocuments({ createdBy: a.creator }),
    servedBy: ["idx_documents_creator_updated"]
  },
  {
    name: "a user's profile",
    kind: "lookup",
    describe: (a) => `getUserProfile(${a.userId})`,
    run: (store, a) => store.getUserProfile(a.userId),
    servedBy: ["idx_user_profiles_user_id", "user_profiles_user_id_key"]
  },
  {
    name: "profiles needing analysis",
    kind: "timeline",
    describe: () => "getUsersNeedingAnalysis(100)",
    run: (store) => store.usersNeedingAnalysis({ minMessages: 0, limit: 100 }),
    servedBy: ["idx_user_profiles_needing_analysis", "idx_user_profiles_last_interaction"]
  },
  {
    name: "profiles by last interaction",
    kind: "timeline",
    describe: () => "getAllUserProfiles(100)",
    run: (store) => store.allUserProfiles({ limit: 100, offset: 0 }),
    servedBy: ["idx_user_profiles_last_interaction"]
  }
]

/** The value of the most frequent `column` in `table` (the heaviest read of that kind), or undefined. */
const busiest = (pg: SqlClient.SqlClient, table: string, column: string) =>
  pg<{ value: string }>`SELECT ${pg(column)} AS value FROM ${pg(table)} WHERE ${pg(column)} IS NOT NULL
    GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1`.pipe(Effect.map((rows) => rows[0]?.value))

/**
 * The most frequent word of the messages, from the statistics ANALYZE keeps of the stored search vector (no scan):
 * the search whose best plan walks a timeline rather than the GIN index.
 */
export const commonWord = (pg: SqlClient.SqlClient): Effect.Effect<string | undefined, SqlError.SqlError> =>
  // The elements are kept sorted by value, their frequencies beside them.
  pg<{ word: string | null }>`SELECT e.word FROM pg_stats s,
      unnest(s.most_common_elems::text::text[]) WITH ORDINALITY AS e(word, i)
    WHERE s.schemaname = current_schema() AND s.tablename = 'messages' AND s.attname = 'search_vector'
    ORDER BY s.most_common_elem_freqs[e.i] DESC LIMIT 1`.pipe(Effect.map((rows) => rows[0]?.word ?? undefined))

/**
 * The arguments verify reads with, from the data: the busiest author, channel, query user and creator (the
 * longest ranges), and one set per sampled word, the most frequent word first.
 */
export const sampleReadArguments = (
  pg: SqlClient.SqlClient,
  samples: Samples
): Effect.Effect<ReadonlyArray<ReadArguments>, SqlError.SqlError> =>
  Effect.gen(function* () {
    const missing = "no-such-value"
    const channelId = (yield* busiest(pg, "messages", "channel_id")) ?? missing
    const queryUserId = (yield* busiest(pg, "queries", "user_id")) ?? missing
    const creator = (yield* busiest(pg, "documents", "created_by")) ?? missing
    const messageId = (yield* pg<{ id: string }>`SELECT id FROM messages LIMIT 1`)[0]?.id ?? missing
    const common = yield* commonWord(pg)
    const words = [...new Set([...(common === undefined ? [] : [common]), ...samples.words])]
    return (words.length === 0 ? ["word"] : words).map((word) => ({
      userId: samples.userId ?? missing,
      channelId,
      word,
      queryUserId,
      creator,
      messageId
    }))
  })

/** What verify checks: the reads a caller of the contract makes. */
export const readsOfTheBot: ReadonlyArray<BotRead> = botReads.filter((read) => read.calledByBot !== false)
