/**
 * Message analysis (summary, sentiment, intent) is the bot's business; this project only stores it. The bot
 * provides its own analyzer; the default one adds nothing. It runs once per write, before the row is decided,
 * so both databases receive the same analysis. An analyzer failure never loses the message: it is logged and the
 * message is saved without analysis.
 */
import { Context, Data, Effect } from "effect"
import type { JsonValue } from "../domain/JsonValue.js"
import type { SenderType } from "../domain/Message.js"

export interface MessageToAnalyze {
  readonly senderType: SenderType
  readonly content: string
  readonly userId: string | null
  readonly channelId: string | null
}

export interface MessageAnalysis {
  readonly aiSummary?: string
  readonly sentiment?: JsonValue
  readonly userIntent?: string
  readonly interactionType?: string
}

export class AnalyzerError extends Data.TaggedError("AnalyzerError")<{
  readonly message: string
  readonly cause?: unknown
}> {}

export interface MessageAnalyzerShape {
  readonly analyze: (message: MessageToAnalyze) => Effect.Effect<MessageAnalysis, AnalyzerError>
}

export class MessageAnalyzer extends Context.Reference<MessageAnalyzer>()("@repo/database/MessageAnalyzer", {
  defaultValue: (): MessageAnalyzerShape => ({ analyze: () => Effect.succeed({}) })
}) {}
