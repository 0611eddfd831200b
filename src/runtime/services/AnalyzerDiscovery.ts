/**
 * Where the bot's analysis functions come from when no MessageAnalyzer layer is provided. A registration
 * (`registerAnalyzer`) wins; otherwise `@repo/shared`, the package that holds them in the bot's monorepo, is
 * imported once, at the first message or query to analyse, when it resolves from this package. It is an optional
 * peer: importing this package never loads the model SDKs behind it, and without it nothing is analysed.
 */

/** A previous message of the same user, as the analysis prompt lists it. */
export interface PreviousMessage {
  content: string
  sentiment?: string | undefined
}

/**
 * The two calls of `@repo/shared` (contract §4.6), with their original parameters. Mutable arrays and plain
 * return values, so that the bot's own functions (returning promises of their typed results) are assignable.
 */
export interface AnalyzerFunctions {
  readonly analyzeMessage?: (
    messageContent: string,
    username: string,
    context: { previousMessages: Array<PreviousMessage> }
  ) => unknown
  readonly analyzeQuery?: (
    queryText: string,
    username: string,
    queryResult?: string,
    error?: string,
    resultCount?: number
  ) => unknown
}

export type Discovered =
  | { readonly _tag: "Found"; readonly source: "registered" | "@repo/shared"; readonly functions: AnalyzerFunctions }
  | { readonly _tag: "Missing"; readonly reason: string }

let registered: AnalyzerFunctions | undefined

/**
 * Makes the services analyse with `functions` (the bot calls it once at start-up when `@repo/shared` is not
 * resolvable from this package). Returns a function that removes this registration again.
 */
export const registerAnalyzer = (functions: AnalyzerFunctions): (() => void) => {
  registered = functions
  return () => {
    if (registered === functions) registered = undefined
  }
}

// A variable, not a literal: TypeScript does not need the package's types, and bundlers (the web app's Next.js)
// leave the import alone instead of failing the build where the package is absent.
const sharedPackage = "@repo/shared"

const isFunction = (value: unknown): value is (...args: ReadonlyArray<unknown>) => unknown =>
  typeof value === "function"

const fromModule = (module: unknown): Discovered => {
  const exports = (typeof module === "object" && module !== null ? module : {}) as Record<string, unknown>
  const analyzeMessage = exports["analyzeMessage"]
  const analyzeQuery = exports["analyzeQuery"]
  if (!isFunction(analyzeMessage) && !isFunction(analyzeQuery)) {
    return { _tag: "Missing", reason: `${sharedPackage} exports neither analyzeMessage nor analyzeQuery` }
  }
  return {
    _tag: "Found",
    source: sharedPackage,
    functions: {
      ...(isFunction(analyzeMessage) ? { analyzeMessage } : {}),
      ...(isFunction(analyzeQuery) ? { analyzeQuery } : {})
    }
  }
}

const notImported = (error: unknown): Discovered => {
  const code = (error as { code?: unknown } | null)?.code
  const message = error instanceof Error ? error.message : String(error)
  return {
    _tag: "Missing",
    reason:
      code === "ERR_MODULE_NOT_FOUND" && message.includes(sharedPackage)
        ? `${sharedPackage} is not installed where this package can resolve it`
        : `${sharedPackage} could not be loaded: ${message}`
  }
}

let shared: Promise<Discovered> | undefined

/** The analyzer to use now: the registered one, else `@repo/shared` (looked up once, then remembered). */
export const discoverAnalyzer = (): Promise<Discovered> => {
  if (registered !== undefined) return Promise.resolve({ _tag: "Found", source: "registered", functions: registered })
  shared ??= import(/* webpackIgnore: true */ sharedPackage).then(fromModule, notImported)
  return shared
}
