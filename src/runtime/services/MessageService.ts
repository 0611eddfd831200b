/**
 * Messages the bot hears, says and runs as tools. Each save decides the whole row once (id, time, analysis)
 * and hands it to the router, so every database that receives it stores the same thing.
 */
import { Cause, Context, Effect, Layer, type Option, Schema } from "effect"
import type { InvalidInput, StoreError } from "../domain/Errors.js"
import type { Message } from "../domain/Message.js"
import { MessageFilter } from "../domain/MessageFilter.js"
import { IdGenerator } from "./IdGenerator.js"
import { type MessageAnalysisColumns, messageAnalysisColumns, storedSentiment } from "./internal/analysisColumns.js"
import { toJsonValue } from "./internal/toJsonValue.js"
import { NonBlankString, nowMillis, validate } from "./internal/validate.js"
import { MessageAnalyzer, type PreviousMessage } from "./MessageAnalyzer.js"
import { StoreRouter } from "./StoreRouter.js"

const optionalText = Schema.optional(Schema.NullOr(Schema.String))
/**
 * A JSON column's input: any JS value, stored as `JSON.stringify` would write it (see toJsonValue.ts), so a tool's
 * raw result or the bot's decision object is accepted as it comes. `undefined` and `null` store NULL.
 */
const optionalValue = Schema.optional(Schema.Unknown)

const common = {
  channelId: optionalText,
  channelName: optionalText,
  guildId: optionalText,
  sessionId: optionalText,
  parentMessageId: optionalText,
  metadata: optionalValue
}

export const HumanMessageInput = Schema.Struct({
  userId: NonBlankString("userId"),
  username: Schema.String,
  /** May be empty: a Discord message with only attachments has no text. */
  content: Schema.String,
  /** Why the bot answers (`{ shouldRespond, confidence, reason }`): stored whole, extra keys included. */
  responseDecision: optionalValue,
  /** The Discord message id. Accepted because the bot passes it; there is no column for it, so it is not stored. */
  messageId: optionalText,
  /** Overrides the analyzer's interaction type when given. */
  interactionType: optionalText,
  ...common
})
export type HumanMessageInput = typeof HumanMessageInput.Encoded

export const AIMessageInput = Schema.Struct({
  /** The user the bot is answering, when there is one. */
  userId: optionalText,
  username: optionalText,
  /** May be empty, as a model's answer can be: the row is kept rather than lost. */
  content: Schema.String,
  responseDecision: optionalValue,
  botPerception: optionalText,
  conversationQuality: optionalText,
  interactionType: optionalText,
  ...common
})
export type AIMessageInput = typeof AIMessageInput.Encoded

export const ToolExecutionInput = Schema.Struct({
  toolName: NonBlankString("toolName"),
  toolArgs: optionalValue,
  /** Whatever the tool returned; `undefined` (a step without a result) stores NULL instead of losing the row. */
  toolResult: optionalValue,
  /** Defaults to "Tool: <toolName>" (message_content is NOT NULL). */
  content: Schema.optional(NonBlankString("content")),
  userId: optionalText,
  username: optionalText,
  ...common
})
export type ToolExecutionInput = typeof ToolExecutionInput.Encoded

/** Every filter of `queryMessages` but the paging, so a paged total agrees with the pages, searched or not (F2). */
export const MessageCountFilter = MessageFilter.omit("limit", "offset")

export interface MessageServiceShape {
  /** Analyses the message first (with the user's five previous human messages as context), then saves it. */
  readonly saveHumanMessage: (input: HumanMessageInput) => Effect.Effect<Message, InvalidInput | StoreError>
  readonly saveAIMessage: (input: AIMessageInput) => Effect.Effect<Message, InvalidInput | StoreError>
  readonly saveToolExecution: (input: ToolExecutionInput) => Effect.Effect<Message, InvalidInput | StoreError>
  /** Newest first. Filters combine with AND, `searchText` included. */
  readonly queryMessages: (
    filter?: typeof MessageFilter.Encoded
  ) => Effect.Effect<ReadonlyArray<Message>, InvalidInput | StoreError>
  readonly getMessageById: (id: string) => Effect.Effect<Option.Option<Message>, StoreError>
  readonly getMessageCount: (
    filter?: typeof MessageCountFilter.Encoded
  ) => Effect.Effect<number, InvalidInput | StoreError>
}

export class MessageService extends Context.Tag("@repo/database/MessageService")<
  MessageService,
  MessageServiceShape
>() {}

/** How many of the user's previous messages the analysis sees (the original's context window). */
const contextSize = 5

const json = (value: unknown) => toJsonValue(value) ?? null

const none: Partial<MessageAnalysisColumns> = {}

/** Logs why the analysis is missing or partial; the save goes on with what there is. */
const warnAnalysis = (message: string, details: Record<string, unknown>) =>
  Effect.logWarning(message).pipe(Effect.annotateLogs(details))

export const make = Effect.gen(function* () {
  const router = yield* StoreRouter
  const ids = yield* IdGenerator
  const analyzer = yield* MessageAnalyzer

  // The id and the time are taken when the call starts, before the analysis' model calls (contract §4.1 step 1).
  const start = Effect.all({ id: ids.next, now: nowMillis })

  /** The user's previous human messages in any channel, newest first; none if they cannot be read. */
  const previousMessages = (userId: string) =>
    router.read.queryMessages({ userId, senderType: "human", limit: contextSize }).pipe(
      Effect.map((rows) =>
        rows.map((row): PreviousMessage => ({
          content: row.message_content,
          // An unreadable stored sentiment makes only this entry's sentiment unknown (contract F15).
          sentiment: storedSentiment(row.sentiment_analysis)
        }))
      ),
      Effect.catchAll((error) =>
        Effect.as(
          warnAnalysis("could not read the previous messages; analysing without context", {
            userId,
            error: error.message
          }),
          []
        )
      )
    )

  const analyzeHuman = (content: string, username: string, context: ReadonlyArray<PreviousMessage>) =>
    analyzer.analyzeMessage(content, username, { previousMessages: context }).pipe(
      Effect.map(messageAnalysisColumns),
      Effect.tap(({ problem }) =>
        problem === undefined
          ? Effect.void
          : warnAnalysis("message analysis incomplete; saving what it produced", { problem })
      ),
      Effect.map(({ columns }): Partial<MessageAnalysisColumns> => columns),
      // A rejected promise or a throwing analyzer alike: the message is saved without the analysis (K15).
      Effect.catchAll((error) =>
        Effect.as(
          warnAnalysis("message analysis failed; saving the message without it", { error: error.message }),
          none
        )
      ),
      Effect.catchAllDefect((defect) =>
        Effect.as(
          warnAnalysis("message analysis failed; saving the message without it", {
            error: Cause.pretty(Cause.die(defect))
          }),
          none
        )
      )
    )

  const save = (
    started: { readonly id: string; readonly now: number },
    fields: Partial<Message> & Pick<Message, "sender_type" | "message_content">
  ) =>
    Effect.gen(function* () {
      const row: Message = {
        id: started.id,
        timestamp: started.now,
        user_id: null,
        username: null,
        channel_id: null,
        channel_name: null,
        guild_id: null,
        tool_name: null,
        tool_args: null,
        tool_result: null,
        session_id: null,
        parent_message_id: null,
        metadata: null,
        ai_summary: null,
        sentiment_analysis: null,
        response_decision: null,
        interaction_type: null,
        user_intent: null,
        bot_perception: null,
        conversation_quality: null,
        ...fields,
        created_at: Math.floor(started.now / 1000)
      }
      yield* router.write({ _tag: "InsertMessage", row })
      return row
    })

  const commonColumns = (input: {
    channelId?: string | null | undefined
    channelName?: string | null | undefined
    guildId?: string | null | undefined
    sessionId?: string | null | undefined
    parentMessageId?: string | null | undefined
    metadata?: unknown
  }) => ({
    channel_id: input.channelId ?? null,
    channel_name: input.channelName ?? null,
    guild_id: input.guildId ?? null,
    session_id: input.sessionId ?? null,
    parent_message_id: input.parentMessageId ?? null,
    metadata: json(input.metadata)
  })

  const saveHumanMessage = (raw: HumanMessageInput) =>
    Effect.gen(function* () {
      const input = yield* validate(HumanMessageInput, "saveHumanMessage")(raw)
      const started = yield* start
      const context = yield* previousMessages(input.userId)
      const analysis = yield* analyzeHuman(input.content, input.username, context)
      return yield* save(started, {
        sender_type: "human",
        user_id: input.userId,
        username: input.username,
        message_content: input.content,
        ...commonColumns(input),
        ...analysis,
        interaction_type: input.interactionType ?? analysis.interaction_type ?? null,
        response_decision: json(input.responseDecision)
      })
    })

  const saveAIMessage = (raw: AIMessageInput) =>
    Effect.gen(function* () {
      const input = yield* validate(AIMessageInput, "saveAIMessage")(raw)
      return yield* save(yield* start, {
        sender_type: "ai",
        user_id: input.userId ?? null,
        username: input.username ?? null,
        message_content: input.content,
        response_decision: json(input.responseDecision),
        bot_perception: input.botPerception ?? null,
        conversation_quality: input.conversationQuality ?? null,
        interaction_type: input.interactionType ?? null,
        ...commonColumns(input)
      })
    })

  const saveToolExecution = (raw: ToolExecutionInput) =>
    Effect.gen(function* () {
      const input = yield* validate(ToolExecutionInput, "saveToolExecution")(raw)
      return yield* save(yield* start, {
        sender_type: "tool",
        user_id: input.userId ?? null,
        username: input.username ?? null,
        message_content: input.content ?? `Tool: ${input.toolName}`,
        tool_name: input.toolName,
        tool_args: json(input.toolArgs),
        tool_result: json(input.toolResult),
        ...commonColumns(input)
      })
    })

  const queryMessages = (raw: typeof MessageFilter.Encoded = {}) =>
    Effect.flatMap(validate(MessageFilter, "queryMessages")(raw), router.read.queryMessages)

  const getMessageCount = (raw: typeof MessageCountFilter.Encoded = {}) =>
    Effect.flatMap(validate(MessageCountFilter, "getMessageCount")(raw), router.read.countMessages)

  return MessageService.of({
    saveHumanMessage,
    saveAIMessage,
    saveToolExecution,
    queryMessages,
    getMessageById: router.read.getMessageById,
    getMessageCount
  })
})

export const layer = Layer.effect(MessageService, make)
