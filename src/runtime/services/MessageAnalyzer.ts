/**
 * Message and query analysis (summary, sentiment, intent) is the bot's business; this package calls the bot's two
 * functions with their original arguments (contract §4.6) and stores what they return, untyped: whatever a model
 * produced. The services call it once per write, before the row is decided, so both databases store the same
 * analysis, and a failing analyzer never fails a save.
 *
 * Provide one the Effect way (`Layer.succeed(MessageAnalyzer, ...)`), or let the default find the bot's functions
 * (see AnalyzerDiscovery.ts). With neither, the analysis columns stay empty and one warning says so.
 */
import { Context, Data, Effect } from "effect"
import { type AnalyzerFunctions, discoverAnalyzer, type PreviousMessage } from "./AnalyzerDiscovery.js"

export { type AnalyzerFunctions, type PreviousMessage, registerAnalyzer } from "./AnalyzerDiscovery.js"

/** What `analyzeMessage` gets besides the message: the user's previous human messages, newest first. */
export interface MessageContext {
  readonly previousMessages: ReadonlyArray<PreviousMessage>
}

export class AnalyzerError extends Data.TaggedError("AnalyzerError")<{
  readonly message: string
  readonly cause?: unknown
}> {}

export interface MessageAnalyzerShape {
  /**
   * `{ summary, sentimentAnalysis, interactionMetrics: { interactionType, userIntent, botPerception,
   * conversationQuality } }` as the model produced it; `undefined` when there is no analyzer (nothing is stored).
   */
  readonly analyzeMessage: (
    messageContent: string,
    username: string,
    context: MessageContext
  ) => Effect.Effect<unknown, AnalyzerError>
  /** `{ sentimentAnalysis, queryMetrics: { queryComplexity, userSatisfaction } }`; `undefined` without an analyzer. */
  readonly analyzeQuery: (
    queryText: string,
    username: string,
    queryResult: string | undefined,
    error: string | undefined,
    resultCount: number | undefined
  ) => Effect.Effect<unknown, AnalyzerError>
}

const call = (operation: string, run: () => unknown) =>
  Effect.tryPromise({
    try: async (): Promise<unknown> => await run(),
    catch: (cause) =>
      new AnalyzerError({
        message: `${operation} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
        cause
      })
  })

/** The analyzer over Promise-returning functions (the shape of `@repo/shared`); a missing one analyses nothing. */
export const fromFunctions = (functions: AnalyzerFunctions): MessageAnalyzerShape => ({
  analyzeMessage: (messageContent, username, context) => {
    const analyze = functions.analyzeMessage
    return analyze === undefined
      ? Effect.succeed(undefined)
      : call("analyzeMessage", () =>
          analyze(messageContent, username, { previousMessages: [...context.previousMessages] })
        )
  },
  analyzeQuery: (queryText, username, queryResult, error, resultCount) => {
    const analyze = functions.analyzeQuery
    return analyze === undefined
      ? Effect.succeed(undefined)
      : call("analyzeQuery", () => analyze(queryText, username, queryResult, error, resultCount))
  }
})

// Once per process, not per message: an unconfigured analyzer is a deployment fact, not an event.
let warnedMissing = false

const discovered = Effect.flatMap(
  Effect.promise(() => discoverAnalyzer()),
  (found): Effect.Effect<AnalyzerFunctions> => {
    if (found._tag === "Found") return Effect.succeed(found.functions)
    if (warnedMissing) return Effect.succeed({})
    warnedMissing = true
    return Effect.logWarning(
      "no message analyzer: ai_summary, sentiment_analysis and the interaction and query metrics stay empty. " +
        "Install @repo/shared beside this package, call registerAnalyzer({ analyzeMessage, analyzeQuery }), or " +
        "provide a MessageAnalyzer layer."
    ).pipe(Effect.annotateLogs({ reason: found.reason }), Effect.as({}))
  }
)

/** The default: the registered functions, else `@repo/shared`'s, looked up at each call (a registration may come late). */
export const discoveredAnalyzer: MessageAnalyzerShape = {
  analyzeMessage: (...args) =>
    Effect.flatMap(discovered, (functions) => fromFunctions(functions).analyzeMessage(...args)),
  analyzeQuery: (...args) => Effect.flatMap(discovered, (functions) => fromFunctions(functions).analyzeQuery(...args))
}

export class MessageAnalyzer extends Context.Reference<MessageAnalyzer>()("@repo/database/MessageAnalyzer", {
  defaultValue: (): MessageAnalyzerShape => discoveredAnalyzer
}) {
  /** No analysis at all, and no warning: for programs (the demo, benchmarks) that store messages without a bot. */
  static readonly none: MessageAnalyzerShape = fromFunctions({})
}
