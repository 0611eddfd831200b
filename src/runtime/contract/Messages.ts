/**
 * The bot's message functions (contract §4.1) with their original names, arguments and row shapes, over
 * MessageService on the default database. Only argument names and result shapes are mapped here; what a save
 * stores, the analysis and the filters are the service's.
 */
import { Effect, Option } from "effect"
import { messageColumns } from "../domain/Message.js"
import { MessageService } from "../services/MessageService.js"
import { toLegacyRow } from "./LegacyRow.js"
import { withService } from "./RunOnDefault.js"

/**
 * A row of `messages` as the original declared it (§3.2). At run time every column is present and an empty one
 * is `null`; `created_at` (epoch seconds) is there too although the original interface omits it.
 */
export interface MessageRecord {
  id: string
  /** Epoch milliseconds. */
  timestamp: number
  sender_type: "human" | "ai" | "tool"
  user_id?: string
  username?: string
  channel_id?: string
  channel_name?: string
  guild_id?: string
  message_content: string
  tool_name?: string
  /** JSON text. */
  tool_args?: string
  /** JSON text. */
  tool_result?: string
  session_id?: string
  parent_message_id?: string
  /** JSON text. */
  metadata?: string
  ai_summary?: string
  /** JSON text of the analyzer's sentiment analysis. */
  sentiment_analysis?: string
  /** JSON text of `{ shouldRespond, confidence, reason }`. */
  response_decision?: string
  interaction_type?: string
  user_intent?: string
  bot_perception?: string
  conversation_quality?: string
}

const legacyMessage = toLegacyRow(messageColumns)
const toRecord = (row: Parameters<typeof legacyMessage>[0]) => legacyMessage(row) as MessageRecord

/** Saves what a user wrote after analysing it; resolves to the new id once the analysis and the insert are done. */
export async function saveHumanMessage(params: {
  userId: string
  username: string
  channelId: string
  channelName: string
  guildId?: string
  messageContent: string
  messageId: string
  sessionId?: string
  responseDecision?: { shouldRespond: boolean; confidence: number; reason: string }
}): Promise<string> {
  return withService(MessageService, (messages) =>
    Effect.map(
      messages.saveHumanMessage({
        userId: params.userId,
        username: params.username,
        channelId: params.channelId,
        channelName: params.channelName,
        guildId: params.guildId,
        content: params.messageContent,
        messageId: params.messageId,
        sessionId: params.sessionId,
        responseDecision: params.responseDecision
      }),
      (saved) => saved.id
    )
  )
}

/** Saves what the bot answered; resolves to the new id. */
export async function saveAIMessage(params: {
  userId: string
  username: string
  channelId: string
  channelName: string
  guildId?: string
  messageContent: string
  parentMessageId?: string
  sessionId?: string
  /** Any object: stored as its JSON. */
  metadata?: object
}): Promise<string> {
  return withService(MessageService, (messages) =>
    Effect.map(
      messages.saveAIMessage({
        userId: params.userId,
        username: params.username,
        channelId: params.channelId,
        channelName: params.channelName,
        guildId: params.guildId,
        content: params.messageContent,
        parentMessageId: params.parentMessageId,
        sessionId: params.sessionId,
        metadata: params.metadata
      }),
      (saved) => saved.id
    )
  )
}

/** Saves one tool call of the bot (`message_content` "Tool: <toolName>"); resolves to the new id. */
export async function saveToolExecution(params: {
  userId: string
  username: string
  channelId: string
  channelName: string
  guildId?: string
  toolName: string
  /** The tool call's input (any object), stored as its JSON. */
  toolArgs: object
  /** Anything the tool returned; `undefined` stores NULL. */
  toolResult: unknown
  parentMessageId?: string
  sessionId?: string
}): Promise<string> {
  return withService(MessageService, (messages) =>
    Effect.map(
      messages.saveToolExecution({
        userId: params.userId,
        username: params.username,
        channelId: params.channelId,
        channelName: params.channelName,
        guildId: params.guildId,
        toolName: params.toolName,
        toolArgs: params.toolArgs,
        toolResult: params.toolResult,
        parentMessageId: params.parentMessageId,
        sessionId: params.sessionId
      }),
      (saved) => saved.id
    )
  )
}

/** Messages newest first; every given filter applies, `searchText` (plain words) included. */
export async function queryMessages(params: {
  userId?: string
  channelId?: string
  senderType?: "human" | "ai" | "tool"
  limit?: number
  offset?: number
  startTime?: number
  endTime?: number
  searchText?: string
}): Promise<Array<MessageRecord>> {
  return withService(MessageService, (messages) =>
    Effect.map(
      messages.queryMessages({
        userId: params.userId,
        channelId: params.channelId,
        senderType: params.senderType,
        limit: params.limit,
        offset: params.offset,
        startTime: params.startTime,
        endTime: params.endTime,
        searchText: params.searchText
      }),
      (rows) => rows.map(toRecord)
    )
  )
}

/** The message with this id, or `null`. */
export async function getMessageById(id: string): Promise<MessageRecord | null> {
  return withService(MessageService, (messages) =>
    Effect.map(messages.getMessageById(id), (row) => Option.getOrNull(Option.map(row, toRecord)))
  )
}

/**
 * How many messages match the filters. `searchText` (an addition, optional) counts what `queryMessages` with the
 * same filters and text returns, so a searched page's total agrees with its pages (F2).
 */
export async function getMessageCount(params: {
  userId?: string
  channelId?: string
  senderType?: "human" | "ai" | "tool"
  searchText?: string
}): Promise<number> {
  return withService(MessageService, (messages) =>
    messages.getMessageCount({
      userId: params.userId,
      channelId: params.channelId,
      senderType: params.senderType,
      searchText: params.searchText
    })
  )
}
