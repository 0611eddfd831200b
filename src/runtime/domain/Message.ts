/**
 * A row of `messages`: what the bot said, heard, or ran as a tool.
 * `timestamp` is epoch MILLISECONDS (legacy `Date.now()`); `created_at` is epoch SECONDS.
 */
import { Schema } from "effect"
import { nullable, required, rowSchema } from "./Column.js"

export const SenderType = Schema.Literal("human", "ai", "tool")
export type SenderType = typeof SenderType.Type

export const messageColumns = {
  id: required("text"),
  timestamp: required("epochMillis"),
  sender_type: required("text"),
  user_id: nullable("text"),
  username: nullable("text"),
  channel_id: nullable("text"),
  channel_name: nullable("text"),
  guild_id: nullable("text"),
  message_content: required("text"),
  tool_name: nullable("text"),
  tool_args: nullable("json"),
  tool_result: nullable("json"),
  session_id: nullable("text"),
  parent_message_id: nullable("text"),
  metadata: nullable("json"),
  ai_summary: nullable("text"),
  sentiment_analysis: nullable("json"),
  response_decision: nullable("json"),
  interaction_type: nullable("text"),
  user_intent: nullable("text"),
  bot_perception: nullable("text"),
  conversation_quality: nullable("text"),
  created_at: nullable("epochSeconds")
} as const

export const Message = rowSchema(messageColumns).annotations({ identifier: "Message" })
export type Message = typeof Message.Type
