/**
 * The bot's message functions through the package root, on SQLite and on PostgreSQL: the recorded run of the
 * original (contract Appendix A) replayed call by call, with the FIX items' better outcomes where they differ, and
 * the same rows whichever backend answers.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import {
  getMessageById,
  getMessageCount,
  InvalidInput,
  type MessageRecord,
  messageColumns,
  queryMessages,
  registerAnalyzer,
  saveAIMessage,
  saveHumanMessage,
  saveToolExecution
} from "../../src/index.js"
import { circularPlaceholder } from "../../src/runtime/services/internal/toJsonValue.js"
import { type BackendName, backends, pause, useDefaultDatabase } from "./support/DefaultDatabaseEnv.js"
import { interactionMetrics, positiveSentiment, stubAnalyzer } from "./support/StubAnalyzer.js"

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** Where alice talks to the bot, as messageHandler.ts passes it. */
const alice = { userId: "u1", username: "alice", channelId: "c1", channelName: "general", guildId: "g1" }
const decision = { shouldRespond: true, confidence: 87, reason: "asked about pizza" }

const jsonColumns = ["tool_args", "tool_result", "metadata", "sentiment_analysis", "response_decision"]

/**
 * A row without what differs by design between two runs (id, times), JSON columns parsed: PostgreSQL's JSONB keeps
 * keys in its own order, so only the JSON text's key order may differ between the backends.
 */
const portable = (row: MessageRecord) =>
  Object.fromEntries(
    Object.entries(row)
      .filter(([key]) => key !== "id" && key !== "timestamp" && key !== "created_at")
      .map(([key, value]) => [key, jsonColumns.includes(key) && typeof value === "string" ? JSON.parse(value) : value])
  )

const appendixRows: Partial<Record<BackendName, ReadonlyArray<MessageRecord>>> = {}

for (const backend of backends) {
  describe(`${backend}: the bot's message functions`, () => {
    useDefaultDatabase(backend)
    const analyzer = stubAnalyzer()
    let unregister = () => {}
    beforeAll(() => {
      unregister = registerAnalyzer(analyzer.functions)
    })
    afterAll(() => unregister())

    const ids = { first: "", empty: "", ai: "", tool: "" }

    it("Appendix A: each save resolves to the new id; rows come back in the original shapes", async () => {
      ids.first = await saveHumanMessage({
        ...alice,
        messageContent: "hello, pizza tonight?",
        messageId: "discord-1",
        responseDecision: decision
      })
      await pause()
      // An attachment-only Discord message: no text, still stored.
      ids.empty = await saveHumanMessage({
        ...alice,
        messageContent: "",
        messageId: "discord-2",
        responseDecision: decision
      })
      await pause()
      ids.ai = await saveAIMessage({ ...alice, messageContent: "Sure!", parentMessageId: "d1" })
      await pause()
      ids.tool = await saveToolExecution({
        ...alice,
        toolName: "weather",
        toolArgs: { city: "Paris" },
        toolResult: { success: true, error: undefined, at: new Date(0) }
      })
      for (const id of Object.values(ids)) expect(id).toMatch(uuid)

      const humans = await queryMessages({ userId: "u1", senderType: "human", limit: 1000 })
      expect(humans.map((m) => m.id)).toEqual([ids.empty, ids.first])
      const [empty, first] = humans as [MessageRecord, MessageRecord]
      // Every column is a key, in the table's order; an empty one is null, never undefined (K5).
      expect(Object.keys(first)).toEqual(Object.keys(messageColumns))
      expect(first).toMatchObject({
        sender_type: "human",
        user_id: "u1",
        username: "alice",
        channel_id: "c1",
        channel_name: "general",
        guild_id: "g1",
        message_content: "hello, pizza tonight?",
        tool_name: null,
        tool_args: null,
        tool_result: null,
        session_id: null,
        parent_message_id: null,
        metadata: null,
        ai_summary: "summary of: hello, pizza tonight",
        interaction_type: "question",
        user_intent: "casual_conversation",
        bot_perception: "friendly",
        conversation_quality: "engaging"
      })
      // Milliseconds, as numbers (K7); created_at in seconds.
      expect(typeof first.timestamp).toBe("number")
      expect(first.timestamp).toBeGreaterThan(1_600_000_000_000)
      expect((first as unknown as { created_at: number }).created_at).toBe(Math.floor(first.timestamp / 1000))
      // JSON columns are JSON text that parses (K3, K14).
      expect(typeof first.sentiment_analysis).toBe("string")
      expect(JSON.parse(first.sentiment_analysis!)).toEqual(positiveSentiment)
      expect(typeof first.response_decision).toBe("string")
      expect(JSON.parse(first.response_decision!)).toEqual(decision)
      expect(empty.message_content).toBe("")
      expect(empty.ai_summary).toBe("summary of: ")
      // The Discord message id is accepted and not stored (§7.3).
      expect(Object.values(first)).not.toContain("discord-1")

      // Newest first over everything (K8, K13).
      const all = await queryMessages({})
      expect(all.map((m) => m.sender_type)).toEqual(["tool", "ai", "human", "human"])
      appendixRows[backend] = all

      const [tool] = await queryMessages({ senderType: "tool" })
      expect(tool).toMatchObject({ id: ids.tool, message_content: "Tool: weather", tool_name: "weather" })
      expect(tool!.tool_args).toBe('{"city":"Paris"}')
      // JSON text with the keys in JSONB's order on both backends (same text whichever stored it; K4).
      expect(typeof tool!.tool_result).toBe("string")
      expect(JSON.parse(tool!.tool_result!)).toEqual({ success: true, at: "1970-01-01T00:00:00.000Z" })
      expect(tool!.tool_result).toBe('{"at":"1970-01-01T00:00:00.000Z","success":true}')

      const ai = await getMessageById(ids.ai)
      expect(ai).toMatchObject({
        sender_type: "ai",
        message_content: "Sure!",
        parent_message_id: "d1",
        metadata: null,
        // AI messages are not analysed.
        ai_summary: null,
        sentiment_analysis: null,
        response_decision: null
      })
      expect(await getMessageById(ids.first)).toEqual(first)
      expect(await getMessageById("nope")).toBeNull()

      const count = await getMessageCount({ userId: "u1", senderType: "human" })
      expect(count).toBe(2)
      expect(typeof count).toBe("number")
      expect(await getMessageCount({})).toBe(4)

      // One analysis per human message, with the original's arguments; the second sees the first as context.
      expect(analyzer.messageCalls).toEqual([
        ["hello, pizza tonight?", "alice", { previousMessages: [] }],
        ["", "alice", { previousMessages: [{ content: "hello, pizza tonight?", sentiment: "positive" }] }]
      ])
    })

    it("search is plain words and applies with every other filter (F1, F2, K23)", async () => {
      const search = async (params: Parameters<typeof queryMessages>[0]) =>
        (await queryMessages(params)).map((m) => m.id)
      expect(await search({ searchText: "pizza" })).toEqual([ids.first])
      expect(await search({ searchText: "Pizza", userId: "u1", senderType: "human" })).toEqual([ids.first])
      // The original ignored userId here and returned alice's message.
      expect(await search({ searchText: "pizza", userId: "other" })).toEqual([])
      expect(await search({ searchText: "pizza", senderType: "ai" })).toEqual([])
      // The tool name and the username are searched too.
      expect(await search({ searchText: "weather" })).toEqual([ids.tool])
      expect(await search({ searchText: "alice" })).toHaveLength(4)
      // User text that FTS5 used to reject.
      for (const text of ["don't", "what?", "c++", "foo-bar", "a:b", "AND", "NOT pizza", "panic,"]) {
        await expect(queryMessages({ searchText: text }), text).resolves.toBeInstanceOf(Array)
      }
    })

    it("F2: getMessageCount takes searchText and counts what the same search returns", async () => {
      const cases: Array<Parameters<typeof getMessageCount>[0]> = [
        { searchText: "pizza" },
        { searchText: "Pizza", userId: "u1", senderType: "human" },
        { searchText: "pizza", userId: "other" },
        { searchText: "weather" },
        { searchText: "alice" },
        { searchText: "alice", senderType: "human" },
        { searchText: "what?" }
      ]
      const counts = []
      for (const params of cases) {
        const count = await getMessageCount(params)
        expect(count, JSON.stringify(params)).toBe((await queryMessages({ ...params, limit: 10_000 })).length)
        counts.push(count)
      }
      expect(counts.slice(0, 6)).toEqual([1, 1, 0, 1, 4, 2])
      // Without the field, the count is the one the bot knew.
      expect(await getMessageCount({ searchText: undefined })).toBe(await getMessageCount({}))
    })

    it("paging and time bounds: limit, offset, and 0 as a real bound (F3)", async () => {
      const humans = await queryMessages({ userId: "u1", senderType: "human", limit: 1000 })
      expect(
        (await queryMessages({ userId: "u1", senderType: "human", limit: 1, offset: 1 })).map((m) => m.id)
      ).toEqual([ids.first])
      const [newest, oldest] = humans as [MessageRecord, MessageRecord]
      expect(
        (await queryMessages({ startTime: oldest.timestamp, endTime: newest.timestamp, senderType: "human" })).map(
          (m) => m.id
        )
      ).toEqual([newest.id, oldest.id])
      // The original dropped a bound of 0; it is a bound like any other.
      expect(await queryMessages({ endTime: 0 })).toEqual([])
    })

    it("optional fields passed as undefined behave like absent ones", async () => {
      const id = await saveHumanMessage({
        userId: "u2",
        username: "bob",
        channelId: "dm-2",
        channelName: "DM",
        guildId: undefined,
        sessionId: undefined,
        messageContent: "in a DM",
        messageId: "discord-3",
        responseDecision: undefined
      })
      const row = await getMessageById(id)
      expect(row).toMatchObject({ guild_id: null, session_id: null, response_decision: null, channel_name: "DM" })
      const everyUndefined = {
        userId: undefined,
        channelId: undefined,
        senderType: undefined,
        limit: undefined,
        offset: undefined,
        startTime: undefined,
        endTime: undefined,
        searchText: undefined
      }
      expect((await queryMessages(everyUndefined)).map((m) => m.id)).toEqual((await queryMessages({})).map((m) => m.id))
      expect(await getMessageCount({ userId: undefined, channelId: undefined, senderType: undefined })).toBe(
        await getMessageCount({})
      )
      expect((await queryMessages({ userId: "u2" })).map((m) => m.id)).toEqual([id])
    })

    it("a tool call is always stored, whatever it returned (F8)", async () => {
      const cyclic: Record<string, unknown> = { name: "loop" }
      cyclic["self"] = cyclic
      const saved = {
        noResult: await saveToolExecution({ ...alice, toolName: "silent", toolArgs: {}, toolResult: undefined }),
        bigint: await saveToolExecution({
          ...alice,
          toolName: "count",
          toolArgs: { big: 10n },
          toolResult: 123456789012345678901234567890n
        }),
        cyclic: await saveToolExecution({ ...alice, toolName: "graph", toolArgs: { depth: 1 }, toolResult: cyclic }),
        text: await saveToolExecution({ ...alice, toolName: "echo", toolArgs: { say: "hi" }, toolResult: "hi" })
      }
      const read = async (id: string) => (await getMessageById(id))!
      expect(await read(saved.noResult)).toMatchObject({
        tool_result: null,
        tool_args: "{}",
        message_content: "Tool: silent"
      })
      expect(await read(saved.bigint)).toMatchObject({
        tool_args: '{"big":"10"}',
        tool_result: '"123456789012345678901234567890"'
      })
      expect(JSON.parse((await read(saved.cyclic)).tool_result!)).toEqual({ name: "loop", self: circularPlaceholder })
      // A string result is stored as a JSON string, as JSON.stringify wrote it.
      expect((await read(saved.text)).tool_result).toBe('"hi"')
    })

    it("failures reject with typed errors (K25)", async () => {
      const missingContent = saveHumanMessage({
        ...alice,
        messageContent: undefined as unknown as string,
        messageId: "discord-x"
      })
      await expect(missingContent).rejects.toBeInstanceOf(InvalidInput)
      await expect(queryMessages({ senderType: "robot" as unknown as "human" })).rejects.toBeInstanceOf(InvalidInput)
      await expect(getMessageCount({ senderType: "robot" as unknown as "human" })).rejects.toBeInstanceOf(InvalidInput)
    })

    if (backend === "postgres") {
      it("SQLite and PostgreSQL answer the recorded run with the same rows", () => {
        expect(appendixRows.sqlite).toBeDefined()
        expect(appendixRows.postgres!.map(portable)).toEqual(appendixRows.sqlite!.map(portable))
        expect(portable(appendixRows.postgres![3]!)).toMatchObject({ ai_summary: "summary of: hello, pizza tonight" })
        expect(interactionMetrics.interactionType).toBe(appendixRows.postgres![3]!.interaction_type)
      })
    }
  })
}
