/**
 * The analysis of saved messages and queries (contract §4.1 steps 2–3, §4.2 step 2, §4.6, K14–K16, F15, F17)
 * through the package root: the analyzer gets exactly the original's arguments, its answer fills the columns
 * before the save resolves, a failing analyzer never fails a save, and a shadowed write is analysed once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "@effect/vitest"
import {
  defaultDatabase,
  getMessageById,
  getQueryById,
  type PreviousMessage,
  queryMessages,
  registerAnalyzer,
  saveAIMessage,
  saveHumanMessage,
  saveQuery,
  saveToolExecution
} from "../../src/index.js"
import { backends, pause, postgresExec, sqliteExec, useDefaultDatabase } from "./support/DefaultDatabaseEnv.js"
import { interactionMetrics, positiveSentiment, queryMetrics, stubAnalyzer } from "./support/StubAnalyzer.js"

const human = (userId: string, messageContent: string, channelId = "c1") =>
  saveHumanMessage({
    userId,
    username: `name-${userId}`,
    channelId,
    channelName: channelId,
    messageContent,
    messageId: `discord-${messageContent}`
  })

const analysisColumns = [
  "ai_summary",
  "sentiment_analysis",
  "interaction_type",
  "user_intent",
  "bot_perception",
  "conversation_quality"
] as const

/** The log lines written so far (the default logger prints through console.log). */
const logLines = (spy: { mock: { calls: Array<Array<unknown>> } }) => spy.mock.calls.map((call) => call.join(" "))

// First in the file: nothing is registered yet and @repo/shared is not installed here.
describe("without an analyzer", () => {
  useDefaultDatabase("sqlite")
  const log = vi.spyOn(console, "log")
  afterAll(() => log.mockRestore())

  it("the analysis columns stay empty and one warning says so, not one per message", async () => {
    const ids = [await human("n1", "one"), await human("n1", "two"), await human("n1", "three")]
    const query = await saveQuery({ userId: "n1", username: "n", queryText: "how many?" })
    for (const id of ids) {
      const row = (await getMessageById(id))!
      for (const column of analysisColumns) expect(row[column], column).toBeNull()
    }
    expect(await getQueryById(query)).toMatchObject({
      sentiment_analysis: null,
      query_complexity: null,
      user_satisfaction: null
    })
    expect(logLines(log).filter((line) => line.includes("no message analyzer"))).toHaveLength(1)
  })

  it("a registration made later is used from the next save on", async () => {
    const analyzer = stubAnalyzer()
    const unregister = registerAnalyzer(analyzer.functions)
    try {
      const row = (await getMessageById(await human("n1", "four")))!
      expect(row.ai_summary).toBe("summary of: four")
    } finally {
      unregister()
    }
    expect((await getMessageById(await human("n1", "five")))!.ai_summary).toBeNull()
  })
})

for (const backend of backends) {
  describe(`${backend}: analysis`, () => {
    const env = useDefaultDatabase(backend)
    let unregister = () => {}
    afterEach(() => unregister())

    it("analyzeMessage gets the text, the username and the user's five previous human messages, newest first (K16)", async () => {
      const analyzer = stubAnalyzer()
      unregister = registerAnalyzer(analyzer.functions)
      // Six of u1's messages over two channels, between them another user's message, an answer and a tool call.
      for (let i = 1; i <= 6; i++) {
        await human("u1", `m${i}`, i % 2 === 0 ? "c2" : "c1")
        await pause()
        if (i === 3) {
          await human("u2", "not u1")
          await saveAIMessage({
            userId: "u1",
            username: "name-u1",
            channelId: "c1",
            channelName: "c1",
            messageContent: "reply"
          })
          await saveToolExecution({
            userId: "u1",
            username: "name-u1",
            channelId: "c1",
            channelName: "c1",
            toolName: "search",
            toolArgs: {},
            toolResult: []
          })
          await pause()
        }
      }
      const id = await human("u1", "seventh", "c3")
      const previous = (...contents: Array<string>): Array<PreviousMessage> =>
        contents.map((content) => ({ content, sentiment: "positive" }))
      expect(analyzer.messageCalls.at(-1)).toEqual([
        "seventh",
        "name-u1",
        { previousMessages: previous("m6", "m5", "m4", "m3", "m2") }
      ])
      expect(analyzer.messageCalls[0]).toEqual(["m1", "name-u1", { previousMessages: [] }])
      // The columns are filled by the time the save resolved.
      const row = (await getMessageById(id))!
      expect(row).toMatchObject({
        ai_summary: "summary of: seventh",
        interaction_type: interactionMetrics.interactionType,
        user_intent: interactionMetrics.userIntent,
        bot_perception: interactionMetrics.botPerception,
        conversation_quality: interactionMetrics.conversationQuality
      })
      expect(JSON.parse(row.sentiment_analysis!)).toEqual(positiveSentiment)
      // Human messages only: AI answers and tool calls are never analysed.
      expect(analyzer.messageCalls).toHaveLength(8)
    })

    it("a stored sentiment that does not parse makes only that entry's sentiment unknown (F15)", async () => {
      const analyzer = stubAnalyzer()
      unregister = registerAnalyzer(analyzer.functions)
      await human("u3", "analysed")
      await pause()
      // A legacy row whose sentiment_analysis is free text (on PostgreSQL: as the migration stores such text).
      const legacy = [`legacy-${backend}`, Date.now(), "human", "u3", "name-u3", "legacy text"]
      if (backend === "sqlite") {
        sqliteExec(
          env.sqlitePath(),
          `INSERT INTO messages (id, timestamp, sender_type, user_id, username, message_content, sentiment_analysis)
           VALUES (?, ?, ?, ?, ?, ?, 'not json {')`,
          legacy
        )
      } else {
        await postgresExec(
          env.postgresUrl(),
          `INSERT INTO messages (id, timestamp, sender_type, user_id, username, message_content, sentiment_analysis)
           VALUES ($1, $2, $3, $4, $5, $6, to_jsonb('not json {'::text))`,
          legacy
        )
      }
      await pause()
      await human("u3", "latest")
      expect(analyzer.messageCalls.at(-1)).toEqual([
        "latest",
        "name-u3",
        {
          previousMessages: [
            { content: "legacy text", sentiment: undefined },
            { content: "analysed", sentiment: "positive" }
          ]
        }
      ])
    })

    it("analyzeQuery gets the five original arguments and fills the query's three columns", async () => {
      const analyzer = stubAnalyzer()
      unregister = registerAnalyzer(analyzer.functions)
      const id = await saveQuery({
        userId: "u1",
        username: "alice",
        queryText: "count them",
        queryResult: '[{"n":3}]',
        resultCount: 1,
        error: undefined
      })
      expect(analyzer.queryCalls).toEqual([["count them", "alice", '[{"n":3}]', undefined, 1]])
      const row = (await getQueryById(id))!
      expect(row).toMatchObject({
        query_complexity: queryMetrics.queryComplexity,
        user_satisfaction: queryMetrics.userSatisfaction
      })
      expect(JSON.parse(row.sentiment_analysis!)).toMatchObject({ sentiment: "neutral" })
    })

    it("a failing analyzer never fails a save (K15): the row is stored, with what the analysis produced", async () => {
      const saveBoth = async (messageContent: string) => {
        const message = await saveHumanMessage({
          userId: "u4",
          username: "dana",
          channelId: "c1",
          channelName: "c1",
          messageContent,
          messageId: "d",
          responseDecision: { shouldRespond: false, confidence: 10, reason: "not addressed" }
        })
        const query = await saveQuery({ userId: "u4", username: "dana", queryText: messageContent })
        return { message: (await getMessageById(message))!, query: (await getQueryById(query))! }
      }

      unregister = registerAnalyzer({
        analyzeMessage: () => Promise.reject(new Error("model unreachable")),
        analyzeQuery: () => Promise.reject(new Error("model unreachable"))
      })
      const rejected = await saveBoth("rejected")
      for (const column of analysisColumns) expect(rejected.message[column], column).toBeNull()
      expect(JSON.parse(rejected.message.response_decision!)).toMatchObject({ shouldRespond: false })
      expect(rejected.query).toMatchObject({
        sentiment_analysis: null,
        query_complexity: null,
        user_satisfaction: null
      })

      unregister = registerAnalyzer({
        analyzeMessage: () => {
          throw new TypeError("not a function")
        },
        analyzeQuery: () => {
          throw new TypeError("not a function")
        }
      })
      const thrown = await saveBoth("thrown")
      expect(thrown.message.message_content).toBe("thrown")
      expect(thrown.message.ai_summary).toBeNull()
      expect(thrown.query.query_text).toBe("thrown")

      // Fields read before the unreadable part keep their values; the rest stay empty.
      unregister = registerAnalyzer({
        analyzeMessage: () => Promise.resolve({ summary: "partial", sentimentAnalysis: { sentiment: "mixed" } }),
        analyzeQuery: () => Promise.resolve({ sentimentAnalysis: { sentiment: "mixed" } })
      })
      const partial = await saveBoth("partial")
      expect(partial.message).toMatchObject({
        ai_summary: "partial",
        sentiment_analysis: '{"sentiment":"mixed"}',
        interaction_type: null,
        user_intent: null,
        bot_perception: null,
        conversation_quality: null
      })
      expect(partial.query).toMatchObject({
        sentiment_analysis: '{"sentiment":"mixed"}',
        query_complexity: null,
        user_satisfaction: null
      })
    })

    it("the row's time is when the save was called, before the analysis' model calls", async () => {
      unregister = registerAnalyzer({
        analyzeMessage: async () => {
          await pause(80)
          return { summary: "slow" }
        }
      })
      const before = Date.now()
      const id = await human("u5", "slow one")
      const after = Date.now()
      const row = (await getMessageById(id))!
      expect(after - before).toBeGreaterThanOrEqual(80)
      expect(row.timestamp - before).toBeLessThan(40)
      expect(row.ai_summary).toBe("slow")
    })
  })
}

describe("SQLite primary shadowed to PostgreSQL", () => {
  const env = useDefaultDatabase("shadow")
  const analyzer = stubAnalyzer()
  let calls = 0
  let unregister = () => {}
  beforeAll(() => {
    unregister = registerAnalyzer({
      analyzeMessage: async (...args) => {
        calls++
        // Different on every call: a second analysis for the shadow would store something else there.
        const result = (await analyzer.functions.analyzeMessage(...args)) as { summary: string }
        return { ...result, summary: `${result.summary} #${calls} ${Math.random()}` }
      },
      analyzeQuery: analyzer.functions.analyzeQuery
    })
  })
  afterAll(() => unregister())

  it("each write is analysed once and both databases store the same analysis (F17)", async () => {
    for (let i = 0; i < 5; i++) {
      await human("s1", `shadowed ${i}`)
      await pause()
    }
    await saveQuery({ userId: "s1", username: "s", queryText: "shadowed query", resultCount: 0 })
    expect(await defaultDatabase().flushShadow(10_000)).toBe(true)
    expect(calls).toBe(5)
    expect(analyzer.queryCalls).toHaveLength(1)

    const columns = `id, timestamp, ${analysisColumns.join(", ")}, response_decision`
    const fromSqlite = sqliteExec(env.sqlitePath(), `SELECT ${columns} FROM messages ORDER BY id`)
    const fromPostgres = await postgresExec(env.postgresUrl(), `SELECT ${columns} FROM messages ORDER BY id`)
    const comparable = (rows: Array<Record<string, unknown>>) =>
      rows.map((row) => ({
        ...row,
        timestamp: Number(row["timestamp"]),
        sentiment_analysis:
          typeof row["sentiment_analysis"] === "string"
            ? (JSON.parse(row["sentiment_analysis"]) as unknown)
            : row["sentiment_analysis"]
      }))
    expect(fromSqlite).toHaveLength(5)
    expect(comparable(fromPostgres)).toEqual(comparable(fromSqlite))
    // What the bot reads back is the primary's row, analysed once.
    const [newest] = await queryMessages({ userId: "s1", limit: 1 })
    expect(newest!.ai_summary).toMatch(/^summary of: shadowed 4 #5 /)
  })
})
