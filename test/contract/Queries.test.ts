/**
 * The bot's query-log functions through the package root, on SQLite and on PostgreSQL: the recorded run of the
 * original (contract Appendix A), with 0 stored as 0 (F3) and the same rows whichever backend answers.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import {
  getQueryById,
  getQueryCount,
  getRecentQueries,
  InvalidInput,
  type QueryRecord,
  queryColumns,
  registerAnalyzer,
  saveQuery
} from "../../src/index.js"
import { jsonText } from "../../src/runtime/contract/JsonText.js"
import { type BackendName, backends, pause, useDefaultDatabase } from "./support/DefaultDatabaseEnv.js"
import { neutralSentiment, stubAnalyzer } from "./support/StubAnalyzer.js"

const portable = (row: QueryRecord) =>
  Object.fromEntries(
    Object.entries(row)
      .filter(([key]) => key !== "id" && key !== "timestamp" && key !== "created_at")
      .map(([key, value]) => [
        key,
        key === "sentiment_analysis" && typeof value === "string" ? JSON.parse(value) : value
      ])
  )

const recordedRows: Partial<Record<BackendName, ReadonlyArray<QueryRecord>>> = {}

/** What queryMessages.ts stores after running model-written SQL: the rows as JSON text. */
const rows = [{ id: "m1", sender_type: "human", timestamp: 1_700_000_000_000 }]

for (const backend of backends) {
  describe(`${backend}: the bot's query-log functions`, () => {
    useDefaultDatabase(backend)
    const analyzer = stubAnalyzer()
    let unregister = () => {}
    beforeAll(() => {
      unregister = registerAnalyzer(analyzer.functions)
    })
    afterAll(() => unregister())

    it("Appendix A: saves resolve to ids; recent queries newest first, a page at a time", async () => {
      const first = await saveQuery({
        userId: "u1",
        username: "alice",
        queryText: "how many messages",
        translatedSql: "SELECT COUNT(*) FROM messages",
        queryResult: "[]",
        resultCount: 0,
        executionTimeMs: 12
      })
      await pause()
      const second = await saveQuery({
        userId: "u1",
        username: "alice",
        queryText: "second",
        error: "boom",
        executionTimeMs: 3
      })
      expect(typeof first).toBe("string")
      expect(typeof second).toBe("string")

      expect((await getRecentQueries({ userId: "u1", limit: 1, offset: 0 })).map((q) => q.query_text)).toEqual([
        "second"
      ])
      expect((await getRecentQueries({ userId: "u1", limit: 1, offset: 1 })).map((q) => q.query_text)).toEqual([
        "how many messages"
      ])
      const recent = await getRecentQueries({ userId: "u1" })
      expect(recent.map((q) => q.id)).toEqual([second, first])
      recordedRows[backend] = recent

      const row = (await getQueryById(first))!
      expect(Object.keys(row)).toEqual(Object.keys(queryColumns))
      expect(row).toMatchObject({
        user_id: "u1",
        username: "alice",
        query_text: "how many messages",
        translated_sql: "SELECT COUNT(*) FROM messages",
        ai_summary: null,
        query_result: "[]",
        // The original stored NULL for 0 (falsy-default); 0 results is an answer (F3).
        result_count: 0,
        error: null,
        execution_time_ms: 12,
        query_complexity: "simple",
        user_satisfaction: "satisfied"
      })
      expect(typeof row.timestamp).toBe("number")
      expect(row.timestamp).toBeGreaterThan(1_600_000_000_000)
      expect(typeof row.sentiment_analysis).toBe("string")
      expect(JSON.parse(row.sentiment_analysis!)).toEqual(neutralSentiment)
      expect(await getQueryById(second)).toMatchObject({ error: "boom", result_count: null, query_result: null })
      expect(await getQueryById("nope")).toBeNull()

      expect(await getQueryCount({ userId: "u1" })).toBe(2)
      expect(await getQueryCount({ userId: "nobody" })).toBe(0)
      expect(await getQueryCount({})).toBe(2)

      // The analyzer got the five original arguments, raw.
      expect(analyzer.queryCalls).toEqual([
        ["how many messages", "alice", "[]", undefined, 0],
        ["second", "alice", undefined, "boom", undefined]
      ])
    })

    it("the bot's JSON text result reads back as the same JSON text on both backends; a 0 ms run is stored as 0 (F3)", async () => {
      const text = JSON.stringify(rows)
      const id = await saveQuery({
        userId: "u2",
        username: "bob",
        queryText: "my messages",
        aiSummary: "one message",
        queryResult: text,
        resultCount: rows.length,
        executionTimeMs: 0
      })
      const row = (await getQueryById(id))!
      expect(JSON.parse(row.query_result!)).toEqual(rows)
      // The same text whichever backend stored it: the JSON with its keys in JSONB's order.
      expect(row.query_result).toBe(jsonText(rows))
      expect(row).toMatchObject({ result_count: 1, execution_time_ms: 0, ai_summary: "one message" })
    })

    it("getRecentQueries: every user's by default, 50 a page (K9), undefined options like absent ones", async () => {
      for (let i = 0; i < 52; i++) {
        await saveQuery({ userId: "u9", username: "many", queryText: `q${i}`, resultCount: i })
        await pause(2)
      }
      expect(await getRecentQueries({ userId: "u9" })).toHaveLength(50)
      // What the web app's parseInt hands over for a missing page size.
      expect(await getRecentQueries({ userId: "u9", limit: 0 })).toHaveLength(50)
      expect(await getRecentQueries({ userId: "u9", limit: NaN })).toHaveLength(50)
      expect((await getRecentQueries({ userId: "u9", offset: 50 })).map((q) => q.query_text).sort()).toEqual([
        "q0",
        "q1"
      ])
      const everyone = await getRecentQueries({ limit: 100 })
      expect(new Set(everyone.map((q) => q.user_id))).toEqual(new Set(["u1", "u2", "u9"]))
      expect(everyone.map((q) => q.timestamp)).toEqual([...everyone.map((q) => q.timestamp)].sort((a, b) => b - a))
      expect((await getRecentQueries({ userId: undefined, limit: undefined, offset: undefined })).length).toBe(50)
      expect(await getQueryCount({ userId: undefined })).toBe(55)
    })

    it("failures reject with typed errors (K25)", async () => {
      await expect(saveQuery({ userId: "u1", username: "alice", queryText: "" })).rejects.toBeInstanceOf(InvalidInput)
      await expect(getRecentQueries({ limit: -1 })).rejects.toBeInstanceOf(InvalidInput)
    })

    if (backend === "postgres") {
      it("SQLite and PostgreSQL answer the recorded run with the same rows", () => {
        expect(recordedRows.sqlite).toBeDefined()
        expect(recordedRows.postgres!.map(portable)).toEqual(recordedRows.sqlite!.map(portable))
      })
    }
  })
}
