/**
 * How SQLite finds a page of the newest messages that match a search. FTS5 hands its matches back in rowid order
 * only, so a page ordered by time is either gathered from every match or found by walking a time-ordered index
 * and testing rows until the page is full; which costs less depends on how common the words are, which SQLite's
 * planner cannot know (PostgreSQL's planner knows it from the statistics of the stored search vector). So the
 * store looks first, at a bounded cost: the newest few hundred matches, and how far back they reach.
 *
 * Costs measured on 1M messages (bench/read-bench.ts): collecting matches into a set about 0.09 µs each, reading a
 * match's row to filter and sort it about 4 µs, walking an index past a row tested against the set about 0.3 µs,
 * testing one row with an FTS5 query of its own about 30 µs. Each form below is the cheapest for some words:
 * - `gather`: the rows of the matches (SQLite may instead walk a user's or channel's index against the set, and
 *   picks well when there is such a filter). Rare words: one in 0.02% of messages 2.3 ms, walking 3.9 ms.
 * - `walkSet`: the matches collected into a set once, then the rows walked in the page's order; the unary plus
 *   keeps SQLite from driving the query from the set. Words of middling frequency without a user or channel:
 *   "what" (2%) 3.5 ms, where gathering read and sorted its 20,000 rows in 84 ms.
 * - `walkProbe`: rows walked in the page's order, each tested with an FTS5 query of its own. Words so common that
 *   collecting their matches costs more than testing rows one at a time: "the" (67%) 4.6 ms, where collecting its
 *   670,000 matches took 64 ms (and gathering their rows 950 ms).
 */
import type { SqlClient, Statement } from "@effect/sql"
import { Effect } from "effect"

export type SqliteSearchForm = "gather" | "walkSet" | "walkProbe"

/**
 * The newest matches looked at: FTS5 reads a word's matches from its newest one down cheaply (a range of rowids
 * from below was measured 26 ms for "the"), and how many rowids these span is the words' density where a walk
 * starts. Fewer than this many matches in all is a rare word, counted exactly.
 */
const sampleMatches = 500

export interface SearchShape {
  /** The highest rowid of messages (their number, about). */
  readonly total: number
  /** Matches among the newest `sampleMatches` (all of them when fewer). */
  readonly hits: number
  /** The lowest rowid among those matches. */
  readonly lowest: number
}

/**
 * The cheapest form for `wanted` rows (limit plus offset), from the costs above: testing rows one at a time beats
 * collecting the set once `30 wanted / d < 0.09 d total`; gathering beats walking while `4 n < 0.3 wanted total / n`.
 */
export const chooseForm = (shape: SearchShape, wanted: number, filtered: boolean): SqliteSearchForm => {
  if (shape.hits < sampleMatches) return "gather"
  const density = shape.hits / Math.max(1, shape.total - shape.lowest + 1)
  if (density * density * shape.total > 330 * wanted) return "walkProbe"
  // With a user or channel, SQLite walks that index against the set by itself when it pays.
  if (filtered) return "gather"
  return density * shape.total < Math.sqrt(0.077 * wanted * shape.total) ? "gather" : "walkSet"
}

/** The condition on `messages` that finds the rows matching `match` (an FTS5 query) in the given form. */
export const searchCondition = (
  sql: SqlClient.SqlClient,
  match: string,
  form: SqliteSearchForm
): Statement.Fragment => {
  switch (form) {
    case "gather":
      return sql`rowid IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${match})`
    case "walkSet":
      return sql`+rowid IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${match})`
    case "walkProbe":
      return sql`EXISTS (SELECT 1 FROM messages_fts WHERE messages_fts MATCH ${match} AND rowid = messages.rowid)`
  }
}

/** Looks at the newest matches of the words (two cheap reads), then picks the form. */
export const planSqliteSearch = (sql: SqlClient.SqlClient, match: string, wanted: number, filtered: boolean) =>
  Effect.gen(function* () {
    const [last] = yield* sql<{ n: number | null }>`SELECT max(rowid) AS n FROM messages`
    const [newest] = yield* sql<{ hits: number; lowest: number | null }>`SELECT count(*) AS hits,
        min(rowid) AS lowest
      FROM (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${match} ORDER BY rowid DESC LIMIT ${sampleMatches})`
    const shape: SearchShape = {
      total: Number(last?.n ?? 0),
      hits: Number(newest?.hits ?? 0),
      lowest: Number(newest?.lowest ?? 0)
    }
    return chooseForm(shape, wanted, filtered)
  })
