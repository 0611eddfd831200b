/**
 * Messages the bot hears, says and runs as tools. Each save decides the whole row once (id, time, analysis)
 * and hands it to the router, so every database that receives it stores the same thing.
 */
import { Context, Effect, Layer, Option, Schema } from "effect"
import type { InvalidInput, StoreError } from "../domain/Errors.js"
import { JsonValue } from "../domain/JsonValue.js"
import type { Message, SenderType } from "../domain/Message.js"
import { MessageFilter } from "../domain/MessageFilter.js"
import { IdGenerator } from "./IdGenerator.js"
import { type MessageAnalysis, MessageAnalyzer } from "./MessageAnalyzer.js"
import { NonBlankString, nowMillis, validate } from "./internal/validate.js"
import { StoreRouter } from "./StoreRouter.js"

const optionalText = Schema.optional(Schema.NullOr(Schema.String))
const optionalJson = Schema.optional(JsonValue)

const common = {
  channelId: optionalText,
  channelName: optionalText,
  guildId: optionalText,
  sessionId: optionalText,
  parentMessageId: optionalText,
  metadata: optionalJson
}

export const HumanMessageInput = Schema.Struct({
  userId: NonBlankString("userId"),
  username: Schema.String,
  content: NonBlankString("content"),
  interactionType: optionalText,
  ...common
})
export type HumanMessageInput = typeof HumanMessageInput.Encoded

export const AIMessageInput = Schema.Struct({
  /** The user the bot is answering, when there is one. */
  userId: optionalText,
  username: optionalText,
  content: NonBlankString("content"),
  responseDecision: optionalJson,
  botPerception: optionalText,
  conversationQuality: optionalText,
  interactionType: optionalText,
  ...common
})
export type AIMessageInput = typeof AIMessageInput.Encoded

export const ToolExecutionInput = Schema.Struct({
  toolName: NonBlankString("toolName"),
  toolArgs: optionalJson,
  toolResult: optionalJson,
  /** Defaults to "Tool: <toolName>" (message_content is NOT NULL). */
  content: Schema.optional(NonBlankString("content")),
  userId: optionalText,
  username: optionalText,
  ...common
})
export type ToolExecutionInput = typeof ToolExecutionInput.Encoded

export interface MessageServiceShape {
  readonly saveHumanMessage: (input: HumanMessageInput) => Effect.Effect<Message, InvalidInput | StoreError>
  readonly saveAIMessage: (input: AIMessageInput) => Effect.Effect<Message, InvalidInput | StoreError>
  readonly saveToolExecution: (input: ToolExecutionInput) => Effect.Effect<Message, InvalidInput | StoreError>
  /** Newest first. Filters combine with AND, `searchText` included. */
  readonly queryMessages: (
    filter?: typeof MessageFilter.Encoded
  ) => Effect.Effect<ReadonlyArray<Message>, InvalidInput | StoreError>
  readonly getMessageById: (id: string) => Effect.Effect<Option.Option<Message>, StoreError>
  readonly getMessageCount: (filter?: {
    readonly userId?: string
    readonly channelId?: string
    readonly senderType?: SenderType
  }) => Effect.Effect<number, InvalidInput | StoreError>
}

export class MessageService extends Context.Tag("@repo/database/MessageService")<
  MessageService,
  MessageServiceShape
>() {}

const CountFilter = MessageFilter.pick("userId", "channelId", "senderType")

export const make = Effect.gen(function* () {
  const router = yield* StoreRouter
  const ids = yield* IdGenerator
  const analyzer = yield* MessageAnalyzer

  const analyze = (senderType: SenderType, content: string, userId: string | null, channelId: string | null) =>
    analyzer
      .analyze({ senderType, content, userId, channelId })
      .pipe(
        Effect.catchAll((error) =>
          Effect.logWarning("message analysis failed; saving the message without it").pipe(
            Effect.annotateLogs({ error: error.message }),
            Effect.as<MessageAnalysis>({})
          )
        )
      )

  const save = (fields: Partial<Message> & Pick<Message, "sender_type" | "message_content">) =>
    Effect.gen(function* () {
      const id = yield* ids.next
      const now = yield* nowMillis
      const row: Message = {
        id,
        timestamp: now,
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
        created_at: Math.floor(now / 1000)
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
    metadata?: JsonValue | undefined
  }) => ({
    channel_id: input.channelId ?? null,
    channel_name: input.channelName ?? null,
    guild_id: input.guildId ?? null,
    session_id: input.sessionId ?? null,
    parent_message_id: input.parentMessageId ?? null,
    metadata: input.metadata ?? null
  })

  const analysisColumns = (analysis: MessageAnalysis, interactionType: string | null | undefined) => ({
    ai_summary: analysis.aiSummary ?? null,
    sentiment_analysis: analysis.sentiment ?? null,
    user_intent: analysis.userIntent ?? null,
    interaction_type: interactionType ?? analysis.interactionType ?? null
  })

  const saveHumanMessage = (raw: HumanMessageInput) =>
    Effect.gen(function* () {
      const input = yield* validate(HumanMessageInput, "saveHumanMessage")(raw)
      const analysis = yield* analyze("human", input.content, input.userId, input.channelId ?? null)
      return yield* save({
        sender_type: "human",
        user_id: input.userId,
        username: input.username,
        message_content: input.content,
        ...commonColumns(input),
        ...analysisColumns(analysis, input.interactionType)
      })
    })

  const saveAIMessage = (raw: AIMessageInput) =>
    Effect.gen(function* () {
      const input = yield* validate(AIMessageInput, "saveAIMessage")(raw)
      const analysis = yield* analyze("ai", input.content, input.userId ?? null, input.channelId ?? null)
      return yield* save({
        sender_type: "ai",
        user_id: input.userId ?? null,
        username: input.username ?? null,
        message_content: input.content,
        response_decision: input.responseDecision ?? null,
        bot_perception: input.botPerception ?? null,
        conversation_quality: input.conversationQuality ?? null,
        ...commonColumns(input),
        ...analysisColumns(analysis, input.interactionType)
      })
    })

  const saveToolExecution = (raw: ToolExecutionInput) =>
    Effect.gen(function* () {
      const input = yield* validate(ToolExecutionInput, "saveToolExecution")(raw)
      return yield* save({
        sender_type: "tool",
        user_id: input.userId ?? null,
        username: input.username ?? null,
        message_content: input.content ?? `Tool: ${input.toolName}`,
        tool_name: input.toolName,
        tool_args: input.toolArgs ?? null,
        tool_result: input.toolResult ?? null,
        ...commonColumns(input)
      })
    })

  const queryMessages = (raw: typeof MessageFilter.Encoded = {}) =>
    Effect.flatMap(validate(MessageFilter, "queryMessages")(raw), router.read.queryMessages)

  const getMessageCount = (raw: typeof CountFilter.Encoded = {}) =>
    Effect.flatMap(validate(CountFilter, "getMessageCount")(raw), router.read.countMessages)

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
