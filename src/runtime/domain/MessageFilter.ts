/**
 * The filters of `queryMessages` and `getMessageCount`, decoded before any SQL runs so that both backends get the
 * same, already checked values and answer alike. All filters combine with AND, the search included (contract F2);
 * `null` means "not given", like `undefined`.
 *
 * - `startTime`/`endTime` bound `messages.timestamp` (epoch milliseconds, inclusive; 0 is a bound like any other).
 *   `NaN` is "not given": it is what parsing a missing request parameter gives, and the original ignored it as
 *   falsy. ±Infinity keep their meaning (`startTime: Infinity` matches nothing, `endTime: Infinity` everything). A
 *   bound is rounded inwards to whole milliseconds and clamped to the safe integers, because PostgreSQL compares
 *   with BIGINT and rejected NaN, Infinity and 1.5, which SQLite compared as numbers.
 * - `limit` (K9, F4): missing, 0, NaN or non-finite → `defaultLimit`; negative or fractional → InvalidInput; above
 *   `maxLimit` → `maxLimit`. `offset`: missing or NaN → 0; negative, fractional or not a safe integer → InvalidInput.
 * - `searchText` (F1): plain words from a user, never engine syntax. Blank text is no search. Words are runs of
 *   letters, combining marks and digits (`searchWords`); everything else (punctuation, symbols, emoji, `@`, `.`)
 *   separates words, so `user@example.com` is three words and `3.14` two. Every word must occur as a whole word in
 *   the content, tool name or username, ignoring case and Latin diacritics (`deja` finds `déjà`, composed or
 *   decomposed); no prefixes, no stemming. Text with no word in it matches nothing. Longer than
 *   `maxSearchTextLength` characters or more than `maxSearchWords` distinct words → InvalidInput: a 1 MB text held
 *   SQLite for 21.7 s and overflowed PostgreSQL's stack, and a word stays under PostgreSQL's 2047-byte lexeme limit.
 *
 * Both backends split and fold words alike: SQLite migration 4 (FTS5 tokenizer) and PostgreSQL migration 5 (the
 * fold in front of `to_tsvector('simple')`). test/contract/SearchTokens.test.ts compares them code point by code
 * point; they still differ on unassigned and private-use code points, on letters newer than the PostgreSQL
 * server's C library, and on upper-case letters whose case pair is newer than Unicode 6.1 (FTS5 keeps them).
 */
import { Schema } from "effect"
import { SenderType } from "./Message.js"

export const defaultLimit = 100

/** The most rows one call returns: above the 1000 messages the bot asks for at once. */
export const maxLimit = 10_000

export const maxSearchTextLength = 500

export const maxSearchWords = 32

/**
 * A page size; "not given" decodes to `undefined`, so each caller applies its own default (K9), and encodes back
 * to NaN, which decodes to "not given" again.
 */
const Limit = Schema.transform(
  Schema.Number.pipe(
    Schema.filter((n) => !Number.isFinite(n) || (Number.isInteger(n) && n >= 0), {
      message: () => "limit must be a whole number of rows (0, NaN or missing for the default)"
    })
  ),
  Schema.UndefinedOr(Schema.Int),
  {
    strict: true,
    // !isFinite covers NaN and ±Infinity; a negative infinity is as meaningless as NaN, not an error (F4).
    decode: (n) => (n === 0 || !Number.isFinite(n) ? undefined : Math.min(n, maxLimit)),
    encode: (n) => n ?? NaN
  }
)

const Offset = Schema.transform(
  Schema.Number.pipe(
    Schema.filter((n) => Number.isNaN(n) || (Number.isSafeInteger(n) && n >= 0), {
      message: () => "offset must be a non-negative whole number"
    })
  ),
  Schema.UndefinedOr(Schema.Int),
  { strict: true, decode: (n) => (Number.isNaN(n) ? undefined : n), encode: (n) => n ?? NaN }
)

const clampToSafe = (n: number) => Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, n))

/** A time bound, rounded towards the inside of the range (`Math.ceil` for a start, `Math.floor` for an end). */
const timeBound = (inwards: (n: number) => number) =>
  Schema.transform(Schema.Number, Schema.UndefinedOr(Schema.Int), {
    strict: true,
    decode: (n) => (Number.isNaN(n) ? undefined : clampToSafe(inwards(n))),
    encode: (n) => n ?? NaN
  })

const SearchText = Schema.String.pipe(
  Schema.maxLength(maxSearchTextLength, {
    message: () => `searchText must be at most ${maxSearchTextLength} characters`
  }),
  Schema.filter((text) => searchWords(text).length <= maxSearchWords, {
    message: () => `searchText must have at most ${maxSearchWords} different words`
  })
)

const given = <A, I>(schema: Schema.Schema<A, I>) => Schema.optionalWith(schema, { nullable: true })

export const MessageFilter = Schema.Struct({
  userId: given(Schema.String),
  channelId: given(Schema.String),
  senderType: given(SenderType),
  startTime: given(timeBound(Math.ceil)),
  endTime: given(timeBound(Math.floor)),
  limit: given(Limit),
  offset: given(Offset),
  searchText: given(SearchText)
}).annotations({ identifier: "MessageFilter" })
export type MessageFilter = typeof MessageFilter.Type

/** What `getMessageCount` takes: every filter of `queryMessages`, search included (F2), without the paging. */
export const MessageCountFilter = MessageFilter.omit("limit", "offset")
export type MessageCountFilter = typeof MessageCountFilter.Type

export const Paging = Schema.Struct({
  limit: given(Limit),
  offset: given(Offset)
})
export type Paging = typeof Paging.Type

/** No search at all (F1): `''` or only whitespace, as opposed to text without words, which matches nothing. */
export const isBlankSearch = (text: string): boolean => text.trim() === ""

/**
 * The words of a user's search: runs of letters, combining marks (so decomposed `é` stays inside its word) and
 * decimal or letter digits; a run needs a letter or a digit, since a mark alone is folded away by both backends.
 * Distinct up to case. They are handed to each backend as they are: the backend folds them exactly as it folds
 * the indexed text, so the engines never see syntax and never disagree about a fold done here.
 */
export const searchWords = (text: string): ReadonlyArray<string> => {
  const words = new Map<string, string>()
  for (const word of text.match(/[\p{L}\p{M}\p{Nd}\p{Nl}]+/gu) ?? []) {
    const key = word.toLowerCase()
    if (/[\p{L}\p{Nd}\p{Nl}]/u.test(word) && !words.has(key)) words.set(key, word)
  }
  return [...words.values()]
}
