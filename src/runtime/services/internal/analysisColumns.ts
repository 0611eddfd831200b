/**
 * From an analyzer's untyped result to the columns it fills, read the way the original read it (contract §4.1
 * step 3, §4.2 step 2): field by field, and when a step cannot be read (a missing `interactionMetrics`), the
 * columns read before it keep their values and the rest stay empty, with the reason for a warning.
 */
import type { JsonValue } from "../../domain/JsonValue.js"
import { toJsonText, toJsonValue } from "./toJsonValue.js"

export interface Extracted<C> {
  readonly columns: Partial<C>
  /** Why reading stopped early, when it did. */
  readonly problem?: string
}

export interface MessageAnalysisColumns {
  readonly ai_summary: string | null
  readonly sentiment_analysis: JsonValue | null
  readonly interaction_type: string | null
  readonly user_intent: string | null
  readonly bot_perception: string | null
  readonly conversation_quality: string | null
}

export interface QueryAnalysisColumns {
  readonly sentiment_analysis: JsonValue | null
  readonly query_complexity: string | null
  readonly user_satisfaction: string | null
}

const isAbsent = (value: unknown): value is null | undefined => value === null || value === undefined

/** `value[key]` for anything JavaScript can read a property of (a string has no `summary`: undefined). */
const field = (value: NonNullable<unknown>, key: string): unknown => (Object(value) as Record<string, unknown>)[key]

/** A TEXT column's value: strings as given, other values as their text (SQLite would store a number as text). */
const text = (value: unknown): string | null =>
  isAbsent(value) ? null : typeof value === "string" ? value : (toJsonText(value) ?? null)

const json = (value: unknown): JsonValue | null => toJsonValue(value) ?? null

const unreadable = (what: string, value: null | undefined) => `the analysis has no ${what} (it is ${String(value)})`

export const messageAnalysisColumns = (result: unknown): Extracted<MessageAnalysisColumns> => {
  // `undefined`: no analyzer is configured (already said once); there is nothing to store.
  if (result === undefined) return { columns: {} }
  if (result === null) return { columns: {}, problem: "the analysis result is null" }
  const start = {
    ai_summary: text(field(result, "summary")),
    sentiment_analysis: json(field(result, "sentimentAnalysis"))
  }
  const metrics = field(result, "interactionMetrics")
  if (isAbsent(metrics)) return { columns: start, problem: unreadable("interactionMetrics", metrics) }
  return {
    columns: {
      ...start,
      interaction_type: text(field(metrics, "interactionType")),
      user_intent: text(field(metrics, "userIntent")),
      bot_perception: text(field(metrics, "botPerception")),
      conversation_quality: text(field(metrics, "conversationQuality"))
    }
  }
}

export const queryAnalysisColumns = (result: unknown): Extracted<QueryAnalysisColumns> => {
  if (result === undefined) return { columns: {} }
  if (result === null) return { columns: {}, problem: "the analysis result is null" }
  const start = { sentiment_analysis: json(field(result, "sentimentAnalysis")) }
  const metrics = field(result, "queryMetrics")
  if (isAbsent(metrics)) return { columns: start, problem: unreadable("queryMetrics", metrics) }
  return {
    columns: {
      ...start,
      query_complexity: text(field(metrics, "queryComplexity")),
      user_satisfaction: text(field(metrics, "userSatisfaction"))
    }
  }
}

/** The `sentiment` of a stored `sentiment_analysis`, for the next analysis' context; anything else is unknown. */
export const storedSentiment = (sentimentAnalysis: JsonValue | null): string | undefined => {
  if (typeof sentimentAnalysis !== "object" || sentimentAnalysis === null || Array.isArray(sentimentAnalysis)) {
    return undefined
  }
  const sentiment = (sentimentAnalysis as { readonly [key: string]: JsonValue })["sentiment"]
  return typeof sentiment === "string" ? sentiment : undefined
}
