/** Natural-language questions the bot turned into SQL, with their results and the analysis of each. */
import { Cause, Context, Effect, Layer, type Option, Schema } from "effect"
import type { InvalidInput, StoreError } from "../domain/Errors.js"
import type { JsonValue } from "../domain/JsonValue.js"
import { pageFields } from "../domain/PageLimits.js"
import type { Query } from "../domain/Query.js"
import { parseJsonLenient } from "../store/RowCodec.js"
import { IdGenerator } from "./IdGenerator.js"
import { type QueryAnalysisColumns, queryAnalysisColumns } from "./internal/analysisColumns.js"
import { toJsonText, toJsonValue } from "./internal/toJsonValue.js"
import { NonBlankString, nowMillis, validate } from "./internal/validate.js"
import { MessageAnalyzer } from "./MessageAnalyzer.js"
import { StoreRouter } from "./StoreRouter.js"

const optionalText = Schema.optional(Schema.NullOr(Schema.String))
/** 0 is a count like any other and is stored as 0. */
const optionalCount = Schema.optional(Schema.NullOr(Schema.Int.pipe(Schema.nonNegative())))

export const SaveQueryInput = Schema.Struct({
  userId: NonBlankString("userId"),
  username: Schema.String,
  queryText: NonBlankString("queryText"),
  translatedSql: optionalText,
  aiSummary: optionalText,
  /**
   * The result: a string is JSON text, as the bot gives it (`JSON.stringify(rows)`; text that is not JSON is kept
   * as that text); any other value is serialised.
   */
  queryResult: Schema.optional(Schema.Unknown),
  resultCount: optionalCount,
  error: optionalText,
  executionTimeMs: optionalCount,
  /** These three override the analyzer's when given. */
  sentimentAnalysis: Schema.optional(Schema.Unknown),
  queryComplexity: optionalText,
  userSatisfaction: optionalText
})
export type SaveQueryInput = typeof SaveQueryInput.Encoded

/** The original's default page of recent queries (contract K9). */
export const defaultQueriesLimit = 50

/** A missing, 0 or NaN limit is the default page, as the web app's request parsing relies on (K9, F4). */
export const RecentQueriesOptions = Schema.Struct({
  userId: Schema.optional(Schema.String),
  ...pageFields(defaultQueriesLimit)
})

export const QueryCountFilter = Schema.Struct({ userId: Schema.optional(Schema.String) })

export interface QueryServiceShape {
  readonly saveQuery: (input: SaveQueryInput) => Effect.Effect<Query, InvalidInput | StoreError>
  /** Newest first; all users unless `userId` is given. */
  readonly getRecentQueries: (
    options?: typeof RecentQueriesOptions.Encoded
  ) => Effect.Effect<ReadonlyArray<Query>, InvalidInput | StoreError>
  readonly getQueryById: (id: string) => Effect.Effect<Option.Option<Query>, StoreError>
  readonly getQueryCount: (filter?: typeof QueryCountFilter.Encoded) => Effect.Effect<number, InvalidInput | StoreError>
}

export class QueryService extends Context.Tag("@repo/database/QueryService")<QueryService, QueryServiceShape>() {}

/** What `query_result` stores: JSON text parsed (so it reads back as the same text), other values serialised. */
const resultJson = (value: unknown): JsonValue | null =>
  value === undefined || value === null
    ? null
    : typeof value === "string"
      ? (parseJsonLenient(value) as JsonValue)
      : (toJsonValue(value) ?? null)

/** What the analyzer is shown: the text as the caller gave it (its first 200 characters go into the prompt). */
const resultText = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : typeof value === "string" ? value : toJsonText(value)

const none: Partial<QueryAnalysisColumns> = {}

const failed = (error: string) =>
  Effect.logWarning("query analysis failed; saving the query without it").pipe(Effect.annotateLogs({ error }))

export const make = Effect.gen(function* () {
  const router = yield* StoreRouter
  const ids = yield* IdGenerator
  const analyzer = yield* MessageAnalyzer

  const analyze = (input: typeof SaveQueryInput.Type) =>
    analyzer
      .analyzeQuery(
        input.queryText,
        input.username,
        resultText(input.queryResult),
        input.error ?? undefined,
        input.resultCount ?? undefined
      )
      .pipe(
        Effect.map(queryAnalysisColumns),
        Effect.tap(({ problem }) =>
          problem === undefined
            ? Effect.void
            : Effect.logWarning("query analysis incomplete; saving what it produced").pipe(
                Effect.annotateLogs({ problem })
              )
        ),
        Effect.map(({ columns }): Partial<QueryAnalysisColumns> => columns),
        // A failing analyzer never fails the save (K15): the three columns stay empty.
        Effect.catchAll((error) => Effect.as(failed(error.message), none)),
        Effect.catchAllDefect((defect) => Effect.as(failed(Cause.pretty(Cause.die(defect))), none))
      )

  const saveQuery = (raw: SaveQueryInput) =>
    Effect.gen(function* () {
      const input = yield* validate(SaveQueryInput, "saveQuery")(raw)
      // Id and time when the call starts, before the analysis' model calls.
      const id = yield* ids.next
      const now = yield* nowMillis
      const analysis = yield* analyze(input)
      const row: Query = {
        id,
        timestamp: now,
        user_id: input.userId,
        username: input.username,
        query_text: input.queryText,
        translated_sql: input.translatedSql ?? null,
        ai_summary: input.aiSummary ?? null,
        query_result: resultJson(input.queryResult),
        result_count: input.resultCount ?? null,
        error: input.error ?? null,
        execution_time_ms: input.executionTimeMs ?? null,
        sentiment_analysis: toJsonValue(input.sentimentAnalysis) ?? analysis.sentiment_analysis ?? null,
        query_complexity: input.queryComplexity ?? analysis.query_complexity ?? null,
        user_satisfaction: input.userSatisfaction ?? analysis.user_satisfaction ?? null,
        created_at: Math.floor(now / 1000)
      }
      yield* router.write({ _tag: "InsertQuery", row })
      return row
    })

  const getRecentQueries = (raw: typeof RecentQueriesOptions.Encoded = {}) =>
    Effect.flatMap(validate(RecentQueriesOptions, "getRecentQueries")(raw), router.read.recentQueries)

  const getQueryCount = (raw: typeof QueryCountFilter.Encoded = {}) =>
    Effect.flatMap(validate(QueryCountFilter, "getQueryCount")(raw), (f) => router.read.countQueries(f.userId))

  return QueryService.of({
    saveQuery,
    getRecentQueries,
    getQueryById: router.read.getQueryById,
    getQueryCount
  })
})

export const layer = Layer.effect(QueryService, make)
