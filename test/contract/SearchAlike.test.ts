/**
 * Hostile and tricky input to `queryMessages` / `getMessageCount`, run through MessageService on both backends at
 * once: every case must give the rows the contract expects (F1–F4, K9, Appendix B), in the same order, or the same
 * typed error, on SQLite and on PostgreSQL alike. The two databases hold the same messages with the same
 * timestamps (a TestClock while seeding), so a case compares what a user would see: labels of rows, newest first.
 */
import { describe, expect, layer } from "@effect/vitest"
import { type SqlClient, Statement } from "@effect/sql"
import { Context, Effect, Either, Layer, TestClock, TestContext } from "effect"
import type { Backend } from "../../src/runtime/domain/Errors.js"
import type { MessageFilter } from "../../src/runtime/domain/MessageFilter.js"
import * as PostgresDatabase from "../../src/runtime/layers/PostgresDatabase.js"
import * as SqliteDatabase from "../../src/runtime/layers/SqliteDatabase.js"
import { pgWholeTable } from "../../src/runtime/schema/CurrentSchema.js"
import { PostgresStoreLive, SqliteStoreLive } from "../../src/runtime/layers/StoreLayers.js"
import { postgresBackend, sqliteBackend } from "../../src/runtime/modes/DatabaseLayer.js"
import { MessageService, type MessageServiceShape } from "../../src/runtime/services/MessageService.js"
import { PostgresStore, SqliteStore, type Store } from "../../src/runtime/store/Store.js"
import { tempPostgres, tempSqlite } from "../support/TestDatabases.js"

interface CorpusMessage {
  readonly label: string
  readonly content: string
  readonly username: string
  readonly tool?: string
}

/** Appendix B's rows first, then text on which the two search engines used to disagree. */
const corpus: ReadonlyArray<CorpusMessage> = [
  { label: "pizza", content: "hello pizza tonight?", username: "alice" },
  { label: "weather", content: "Tool: weather", username: "alice", tool: "weather" },
  { label: "dont", content: "don't panic, foo-bar c++ a:b", username: "bob" },
  { label: "pizzas", content: "pizzas are great", username: "carol" },
  { label: "near", content: "NEAR the river AND the sea", username: "dave" },
  { label: "notPizza", content: "not now, pizza later", username: "dave" },
  { label: "dejaComposed", content: "déjà vu", username: "erin" },
  { label: "dejaDecomposed", content: "de\u0301ja\u0300 entendu", username: "erin" },
  { label: "dejaPlain", content: "deja plain", username: "erin" },
  { label: "naive", content: "a naïve question", username: "erin" },
  // 🍕 is Unicode 6.0 (FTS5 always split there); 🥰 and the skin tone are newer, and FTS5 kept them in the word.
  { label: "pizzaEmoji", content: "pizza🍕 party", username: "frank" },
  { label: "loveEmoji", content: "love🥰 you", username: "frank" },
  { label: "thumbs", content: "👍🏽ok then", username: "frank" },
  { label: "email", content: "mail user@example.com now", username: "gina" },
  { label: "pi", content: "pi is 3.14 roughly", username: "gina" },
  { label: "proto", content: "__proto__ pollution", username: "gina" },
  { label: "url", content: "see https://example.org/docs/page", username: "gina" },
  { label: "tag", content: "<b>bold</b> move", username: "gina" },
  { label: "viet", content: "Việt Nam", username: "hana" },
  { label: "hindi", content: "हिन्दी भाषा", username: "hana" },
  { label: "superscript", content: "x² plus y²", username: "hana" },
  { label: "greek", content: "ΆΛΦΑ ПРИВЕТ", username: "hana" },
  { label: "japanese", content: "日本語 のテキスト", username: "hana" }
]

const t0 = 1_700_000_000_000
const searchChannel = "search"
const bulkChannel = "bulk"
const bulkSize = 120

/** The timestamp the seeding gave a corpus message. */
const timeOf = (label: string) => t0 + 1000 * corpus.findIndex((m) => m.label === label)

/** Labels newest first, as queryMessages orders them. */
const newestFirst = (...labels: ReadonlyArray<string>) =>
  [...labels].sort((a, b) => timeOf(b) - timeOf(a) || (a < b ? 1 : -1))
const everything = newestFirst(...corpus.map((m) => m.label))
const bulk = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `bulk${bulkSize - 1 - from - i}`)

interface Seeded {
  readonly messages: MessageServiceShape
  /** The backend's Store, opened beside the services: the count with search and time is the store's so far. */
  readonly store: Store
  readonly sql: SqlClient.SqlClient
  readonly labels: ReadonlyMap<string, string>
}

class Backends extends Context.Tag("test/SearchAlike/Backends")<Backends, Readonly<Record<Backend, Seeded>>>() {}

const seed = (messages: MessageServiceShape) =>
  Effect.gen(function* () {
    const labels = new Map<string, string>()
    yield* TestClock.setTime(t0)
    for (const m of corpus) {
      const saved =
        m.tool === undefined
          ? yield* messages.saveHumanMessage({
              userId: m.username,
              username: m.username,
              channelId: searchChannel,
              content: m.content
            })
          : yield* messages.saveToolExecution({
              toolName: m.tool,
              userId: m.username,
              username: m.username,
              channelId: searchChannel
            })
      labels.set(saved.id, m.label)
      yield* TestClock.adjust("1 second")
    }
    for (let i = 0; i < bulkSize; i++) {
      const saved = yield* messages.saveHumanMessage({
        userId: "bulk",
        username: "bulk",
        channelId: bulkChannel,
        content: `bulk message ${i}`
      })
      labels.set(saved.id, `bulk${i}`)
      yield* TestClock.adjust("1 second")
    }
    return labels
  }).pipe(Effect.provide(TestContext.TestContext))

const BackendsLive = Layer.scoped(
  Backends,
  Effect.gen(function* () {
    const sqliteOptions = yield* tempSqlite()
    const postgresOptions = yield* tempPostgres()
    const sqliteServices = yield* Layer.build(sqliteBackend(sqliteOptions))
    const postgresServices = yield* Layer.build(postgresBackend(postgresOptions))
    // Opened after the services migrated the databases.
    const sqliteStore = yield* Layer.build(
      SqliteStoreLive.pipe(Layer.provideMerge(SqliteDatabase.layer({ ...sqliteOptions, migrate: false })))
    )
    const postgresStore = yield* Layer.build(
      PostgresStoreLive.pipe(Layer.provideMerge(PostgresDatabase.layer({ ...postgresOptions, migrate: false })))
    )
    const sqliteMessages = Context.get(sqliteServices, MessageService)
    const postgresMessages = Context.get(postgresServices, MessageService)
    const [sqliteLabels, postgresLabels] = yield* Effect.all([seed(sqliteMessages), seed(postgresMessages)])
    return {
      sqlite: {
        messages: sqliteMessages,
        store: Context.get(sqliteStore, SqliteStore),
        sql: Context.get(sqliteStore, SqliteDatabase.SqliteDatabase).sql,
        labels: sqliteLabels
      },
      postgres: {
        messages: postgresMessages,
        store: Context.get(postgresStore, PostgresStore),
        sql: Context.get(postgresStore, PostgresDatabase.PostgresDatabase).sql,
        labels: postgresLabels
      }
    }
  })
)

type Outcome = ReadonlyArray<string> | { readonly error: string }

const outcome = <E extends { readonly _tag: string }>(
  seeded: Seeded,
  effect: Effect.Effect<ReadonlyArray<{ readonly id: string }>, E>
): Effect.Effect<Outcome> =>
  Effect.map(Effect.either(effect), (result) =>
    Either.isLeft(result)
      ? { error: result.left._tag }
      : result.right.map((row) => seeded.labels.get(row.id) ?? `unknown ${row.id}`)
  )

/** Both backends' outcome of the same call; asserted equal to what the contract expects. */
const onBoth = (run: (seeded: Seeded) => Effect.Effect<Outcome>) =>
  Effect.flatMap(Backends, (backends) =>
    Effect.all({ sqlite: run(backends.sqlite), postgres: run(backends.postgres) }, { concurrency: 2 })
  )

const query = (filter: typeof MessageFilter.Encoded) => (seeded: Seeded) =>
  outcome(seeded, seeded.messages.queryMessages(filter))

const invalid = { error: "InvalidInput" } as const

/** 150,000 different words, 1 MB: what froze SQLite for 21.7 s and overflowed PostgreSQL's stack. */
const megabyteOfWords = Array.from({ length: 150_000 }, (_, i) => i.toString(36).padStart(6, "w")).join(" ")

interface Case {
  readonly searchText: string | null
  readonly expected: Outcome
}

const searchCases: ReadonlyArray<Case> = [
  // Appendix B, now plain words (F1): no syntax errors, operators are words, no prefix search.
  { searchText: "pizza", expected: newestFirst("pizza", "notPizza", "pizzaEmoji") },
  { searchText: "Pizza", expected: newestFirst("pizza", "notPizza", "pizzaEmoji") },
  { searchText: "pizza*", expected: newestFirst("pizza", "notPizza", "pizzaEmoji") },
  { searchText: "hello world", expected: [] },
  { searchText: "hello pizza", expected: ["pizza"] },
  { searchText: '"hello pizza"', expected: ["pizza"] },
  { searchText: "pizza OR weather", expected: [] },
  { searchText: "alice", expected: newestFirst("pizza", "weather") },
  { searchText: "weather", expected: ["weather"] },
  { searchText: "tool_name:weather", expected: [] },
  { searchText: "username:bob", expected: [] },
  { searchText: "日本", expected: [] },
  { searchText: "日本語", expected: ["japanese"] },
  { searchText: "don't", expected: ["dont"] },
  { searchText: "foo-bar", expected: ["dont"] },
  { searchText: "c++", expected: ["dont"] },
  { searchText: "a:b", expected: ["dont"] },
  { searchText: "what?", expected: [] },
  { searchText: "AND", expected: ["near"] },
  { searchText: "NOT pizza", expected: ["notPizza"] },
  { searchText: "panic,", expected: ["dont"] },
  // Blank is no search (F1); text without words matches nothing.
  { searchText: " ", expected: everything },
  { searchText: "", expected: everything },
  { searchText: "\t\n\u3000", expected: everything },
  { searchText: null, expected: everything },
  { searchText: "!!!", expected: [] },
  { searchText: "*", expected: [] },
  { searchText: "🍕", expected: [] },
  { searchText: "__proto__", expected: ["proto"] },
  { searchText: "pizza\u0000", expected: newestFirst("pizza", "notPizza", "pizzaEmoji") },
  { searchText: "\ud800pizza", expected: newestFirst("pizza", "notPizza", "pizzaEmoji") },
  // Accents fold on both, composed or decomposed, in the text and in the query.
  { searchText: "déjà", expected: newestFirst("dejaComposed", "dejaDecomposed", "dejaPlain") },
  { searchText: "deja", expected: newestFirst("dejaComposed", "dejaDecomposed", "dejaPlain") },
  { searchText: "de\u0301ja\u0300", expected: newestFirst("dejaComposed", "dejaDecomposed", "dejaPlain") },
  { searchText: "DÉJÀ", expected: newestFirst("dejaComposed", "dejaDecomposed", "dejaPlain") },
  { searchText: "naïve", expected: ["naive"] },
  { searchText: "naive", expected: ["naive"] },
  { searchText: "viet", expected: ["viet"] },
  { searchText: "Việt", expected: ["viet"] },
  // Emoji, symbols and punctuation split words on both.
  { searchText: "pizza🍕", expected: newestFirst("pizza", "notPizza", "pizzaEmoji") },
  { searchText: "love", expected: ["loveEmoji"] },
  { searchText: "ok", expected: ["thumbs"] },
  { searchText: "user@example.com", expected: ["email"] },
  { searchText: "example", expected: newestFirst("email", "url") },
  { searchText: "3.14", expected: ["pi"] },
  { searchText: "14", expected: ["pi"] },
  { searchText: "page", expected: ["url"] },
  { searchText: "b", expected: newestFirst("dont", "tag") },
  { searchText: "x", expected: ["superscript"] },
  { searchText: "x²", expected: ["superscript"] },
  // Other scripts: whole words with their marks, case-insensitive.
  { searchText: "हिन्दी", expected: ["hindi"] },
  { searchText: "άλφα привет", expected: ["greek"] },
  // Bounded (typed error before any SQL): a 1 MB text, one character too many, one word too many.
  { searchText: megabyteOfWords, expected: invalid },
  { searchText: "p".repeat(501), expected: invalid },
  { searchText: Array.from({ length: 33 }, (_, i) => `w${i}`).join(" "), expected: invalid },
  { searchText: Array.from({ length: 32 }, (_, i) => `w${i}`).join(" "), expected: [] },
  { searchText: "Pizza pizza PIZZA ".repeat(27), expected: newestFirst("pizza", "notPizza", "pizzaEmoji") }
]

/** Combining marks, controls and lone surrogates escaped, so that composed and decomposed cases read apart. */
const display = (text: string | null) => {
  if (text === null) return "null"
  const shown = text.length > 40 ? `${text.slice(0, 20)}… (${text.length} characters)` : text
  return `"${shown.replace(/[\p{M}\p{C}]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`
}

const time = (filter: typeof MessageFilter.Encoded) => query({ channelId: searchChannel, ...filter })

describe("search, filters, limits and counts: the same on SQLite and PostgreSQL", () => {
  layer(BackendsLive, { timeout: 120_000 })((it) => {
    for (const c of searchCases) {
      it.effect(`searchText ${display(c.searchText)}`, () =>
        Effect.gen(function* () {
          const both = yield* onBoth(query({ channelId: searchChannel, searchText: c.searchText }))
          expect(both).toEqual({ sqlite: c.expected, postgres: c.expected })
        })
      )
    }

    it.effect("the search ANDs with every other filter (F2)", () =>
      Effect.gen(function* () {
        const cases: ReadonlyArray<readonly [typeof MessageFilter.Encoded, Outcome]> = [
          [{ searchText: "pizza", userId: "alice" }, ["pizza"]],
          [{ searchText: "pizza", userId: "other" }, []],
          [{ searchText: "alice", senderType: "tool" }, ["weather"]],
          [{ searchText: "pizza", startTime: timeOf("pizza") + 1 }, newestFirst("notPizza", "pizzaEmoji")],
          [{ searchText: "pizza", endTime: timeOf("notPizza") }, newestFirst("pizza", "notPizza")],
          [{ searchText: "pizza", limit: 1, offset: 1 }, ["notPizza"]]
        ]
        for (const [filter, expected] of cases) {
          const both = yield* onBoth(query({ channelId: searchChannel, ...filter }))
          expect.soft(both, JSON.stringify(filter)).toEqual({ sqlite: expected, postgres: expected })
        }
      })
    )

    it.effect("time bounds: NaN is not given, ±Infinity keep their meaning, fractions round inwards", () =>
      Effect.gen(function* () {
        const k = timeOf("dont")
        const cases: ReadonlyArray<readonly [typeof MessageFilter.Encoded, Outcome]> = [
          [{ startTime: Number.NaN }, everything],
          [{ endTime: Number.NaN }, everything],
          [{ startTime: null, endTime: null }, everything],
          [{ startTime: Number.POSITIVE_INFINITY }, []],
          [{ endTime: Number.NEGATIVE_INFINITY }, []],
          [{ startTime: Number.NEGATIVE_INFINITY, endTime: Number.POSITIVE_INFINITY }, everything],
          [{ startTime: 1e300 }, []],
          [{ endTime: -1e300 }, []],
          // 0 is a bound, not "not given" (F3).
          [{ startTime: 0 }, everything],
          [{ endTime: 0 }, []],
          [{ startTime: k - 0.5, endTime: k + 0.5 }, ["dont"]],
          [{ startTime: k + 0.5, endTime: timeOf("near") - 0.5 }, ["pizzas"]]
        ]
        for (const [filter, expected] of cases) {
          const both = yield* onBoth(time(filter))
          expect.soft(both, String(Object.entries(filter))).toEqual({ sqlite: expected, postgres: expected })
        }
      })
    )

    it.effect("limits and offsets (F4, K9): 0, NaN and ±Infinity mean the default; negatives and fractions fail", () =>
      Effect.gen(function* () {
        const cases: ReadonlyArray<readonly [typeof MessageFilter.Encoded, Outcome]> = [
          [{}, bulk(0, 100)],
          [{ limit: 0 }, bulk(0, 100)],
          [{ limit: Number.NaN }, bulk(0, 100)],
          [{ limit: null }, bulk(0, 100)],
          [{ limit: Number.POSITIVE_INFINITY }, bulk(0, 100)],
          [{ limit: Number.NEGATIVE_INFINITY }, bulk(0, 100)],
          [{ limit: 1000 }, bulk(0, bulkSize)],
          [{ limit: 5000 }, bulk(0, bulkSize)],
          [{ limit: 1e9 }, bulk(0, bulkSize)],
          [{ limit: 10, offset: 5 }, bulk(5, 15)],
          [{ limit: 3, offset: Number.NaN }, bulk(0, 3)],
          [{ limit: 3, offset: null }, bulk(0, 3)],
          [{ offset: 1000 }, []],
          [{ limit: -1 }, invalid],
          [{ limit: 2.5 }, invalid],
          [{ limit: -0.5 }, invalid],
          [{ offset: -1 }, invalid],
          [{ offset: 2.5 }, invalid],
          [{ offset: Number.POSITIVE_INFINITY }, invalid],
          [{ offset: 2 ** 53 }, invalid]
        ]
        for (const [filter, expected] of cases) {
          const both = yield* onBoth(query({ channelId: bulkChannel, ...filter }))
          expect.soft(both, String(Object.entries(filter))).toEqual({ sqlite: expected, postgres: expected })
        }
      })
    )

    it.effect("counts take the same filters (F2): the service's three, and the store's with search and time", () =>
      Effect.gen(function* () {
        const { postgres, sqlite } = yield* Backends
        for (const seeded of [sqlite, postgres]) {
          const count = seeded.messages.getMessageCount
          expect(yield* count({ channelId: bulkChannel })).toBe(bulkSize)
          expect(yield* count({ channelId: searchChannel, userId: "alice" })).toBe(2)
          expect(yield* count({ channelId: searchChannel, userId: "alice", senderType: "tool" })).toBe(1)
          const stored = seeded.store.countMessages
          expect(yield* stored({ channelId: searchChannel, searchText: "pizza" })).toBe(3)
          expect(yield* stored({ channelId: searchChannel, searchText: "pizza", startTime: timeOf("pizza") + 1 })).toBe(
            2
          )
          expect(yield* stored({ channelId: searchChannel, searchText: "déjà" })).toBe(3)
          expect(yield* stored({ channelId: searchChannel, searchText: "   " })).toBe(corpus.length)
          expect(yield* stored({ channelId: searchChannel, searchText: "!!!" })).toBe(0)
        }
      })
    )

    it.effect("the search is served by the full-text indexes: FTS5 MATCH on SQLite, the GIN index on PostgreSQL", () =>
      Effect.gen(function* () {
        const { postgres, sqlite } = yield* Backends
        /**
         * The statement that reads the page, as compiled for its backend: the last one sent. PostgreSQL sends only
         * that one; SQLite first looks at how common the words are, to choose how to find them (SqliteSearchPlan).
         */
        const statementOf = (seeded: Seeded) =>
          Effect.gen(function* () {
            const sent: Array<readonly [string, ReadonlyArray<unknown>]> = []
            yield* seeded.messages.queryMessages({ searchText: "déjà pizza" }).pipe(
              Statement.withTransformer((statement) =>
                Effect.sync(() => {
                  sent.push(statement.compile())
                  return statement
                })
              )
            )
            expect(sent).toHaveLength(seeded === postgres ? 1 : 3)
            const none: readonly [string, ReadonlyArray<unknown>] = ["", []]
            return sent.at(-1) ?? none
          })
        const [sqliteQuery, sqliteParams] = yield* statementOf(sqlite)
        const sqlitePlan = yield* sqlite.sql.unsafe<{ detail: string }>(`EXPLAIN QUERY PLAN ${sqliteQuery}`, [
          ...sqliteParams
        ])
        expect(sqlitePlan.map((row) => row.detail).join("\n")).toMatch(/messages_fts VIRTUAL TABLE INDEX \d+:M/)
        const [sentQuery, postgresParams] = yield* statementOf(postgres)
        // Without the whole-table condition no index gives the page's order, so only the search can narrow it.
        const postgresQuery = sentQuery.replaceAll(pgWholeTable, "TRUE")
        expect(postgresQuery).not.toBe(sentQuery)
        // The tables are tiny, so the planner would rather scan them: asked not to, it must find the GIN index usable.
        const postgresPlan = yield* postgres.sql.withTransaction(
          Effect.zipRight(
            postgres.sql`SET LOCAL enable_seqscan = off`,
            postgres.sql.unsafe<{ "QUERY PLAN": string }>(`EXPLAIN ${postgresQuery}`, [...postgresParams])
          )
        )
        expect(postgresPlan.map((row) => row["QUERY PLAN"]).join("\n")).toContain(
          "Bitmap Index Scan on idx_messages_fts"
        )
      })
    )
  })
})
