/** Natural-language questions the bot turned into SQL, with their results. */
import { Context, Effect, Layer, type Option, Schema } from "effect"
import type { InvalidInput, StoreError } from "../domain/Errors.js"
import { JsonValue } from "../domain/JsonValue.js"
import { defaultLimit } from "../domain/MessageFilter.js"
import type { Query } from "../domain/Query.js"
import { IdGenerator } from "./IdGenerator.js"
import { NonBlankString, nowMillis, validate } from "./internal/validate.js"
import { StoreRouter } from "./StoreRouter.js"

const optionalText = Schema.optional(Schema.NullOr(Schema.String))
const optionalCount = Schema.optional(Schema.NullOr(Schema.Int.pipe(Schema.nonNegative())))

export const SaveQueryInput = Schema.Struct({
  userId: NonBlankString("userId"),
  username: Schema.String,
  queryText: NonBlankString("queryText"),
  translatedSql: optionalText,
  aiSummary: optionalText,
  queryResult: Schema.optional(JsonValue),
  resultCount: optionalCount,
  error: optionalText,
  executionTimeMs: optionalCount,
  sentimentAnalysis: Schema.optional(JsonValue),
  queryComplexity: optionalText,
  userSatisfaction: optionalText
})
export type SaveQueryInput = typeof SaveQueryInput.Encoded

export const RecentQueriesOptions = Schema.Struct({
  userId: Schema.optional(Schema.String),
  limit: Schema.optional(
    Schema.Int.pipe(Schema.between(0, 10_000, { message: () => "limit must be an integer between 0 and 10000" }))
  )
})

export interface QueryServiceShape {
  readonly saveQuery: (input: SaveQueryInput) => Effect.Effect<Query, InvalidInput | StoreError>
  /** Newest first; all users unless `userId` is given. */
  readonly getRecentQueries: (
    options?: typeof RecentQueriesOptions.Encoded
  ) => Effect.Effect<ReadonlyArray<Query>, InvalidInput | StoreError>
  readonly getQueryById: (id: string) => Effect.Effect<Option.Option<Query>, StoreError>
  readonly getQueryCount: (userId?: string) => Effect.Effect<number, StoreError>
}

export class QueryService extends Context.Tag("@repo/database/QueryService")<QueryService, QueryServiceShape>() {}

export const make = Effect.gen(function* () {
  const router = yield* StoreRouter
  const ids = yield* IdGenerator

  const saveQuery = (raw: SaveQueryInput) =>
    Effect.gen(function* () {
      const input = yield* validate(SaveQueryInput, "saveQuery")(raw)
      const now = yield* nowMillis
      const row: Query = {
        id: yield* ids.next,
        timestamp: now,
        user_id: input.userId,
        username: input.username,
        query_text: input.queryText,
        translated_sql: input.translatedSql ?? null,
        ai_summary: input.aiSummary ?? null,
        query_result: input.queryResult ?? null,
        result_count: input.resultCount ?? null,
        error: input.error ?? null,
        execution_time_ms: input.executionTimeMs ?? null,
        sentiment_analysis: input.sentimentAnalysis ?? null,
        query_complexity: input.queryComplexity ?? null,
        user_satisfaction: input.userSatisfaction ?? null,
        created_at: Math.floor(now / 1000)
      }
      yield* router.write({ _tag: "InsertQuery", row })
      return row
    })

  const getRecentQueries = (raw: typeof RecentQueriesOptions.Encoded = {}) =>
    Effect.flatMap(validate(RecentQueriesOptions, "getRecentQueries")(raw), (o) =>
      router.read.recentQueries({ userId: o.userId, limit: o.limit ?? defaultLimit })
    )

  return QueryService.of({
    saveQuery,
    getRecentQueries,
    getQueryById: router.read.getQueryById,
    getQueryCount: (userId) => router.read.countQueries(userId)
  })
})

export const layer = Layer.effect(QueryService, make)
