/**
 * Effect services as Promise-returning objects, for the bot's existing async code. Each method runs on a
 * ManagedRuntime; `Option` results become `null` (as the old adapter returned), typed errors reject with the
 * error object itself (`InvalidInput`, `NotFound`, `StoreError`: real `Error`s with a `_tag`).
 */
import { Cause, ConfigError, Data, Effect, Exit, type ManagedRuntime, Option } from "effect"

/** The configuration is invalid (bad flag value, READ without SHADOW, missing URL). */
export class DatabaseConfigError extends Data.TaggedError("DatabaseConfigError")<{
  readonly message: string
  readonly cause: ConfigError.ConfigError
}> {}

type Nullable<A> = A extends Option.Option<infer X> ? X | null : A

/** The Promise face of a service: same methods and arguments, Promise results, `Option` as `null`. */
export type Promised<S> = {
  readonly [K in keyof S]: S[K] extends (...args: infer Args) => Effect.Effect<infer A, infer _E, infer _R>
    ? (...args: Args) => Promise<Nullable<A>>
    : never
}

/** The method names of a service, checked complete by the compiler (a missing or extra key is a type error). */
export const methodsOf = <S>(names: { readonly [K in keyof S]: true }): ReadonlyArray<keyof S & string> =>
  Object.keys(names) as Array<keyof S & string>

/**
 * Rejects with what a caller can catch: the typed error (every one is an `Error` with a `_tag`), or the defect
 * itself; a failure that is not an `Error` is wrapped in one that carries it as `cause` and the whole Cause as text.
 */
const rejection = (cause: Cause.Cause<unknown>): Error => {
  const failure = Cause.failureOption(cause)
  const error = Option.isSome(failure) ? failure.value : Cause.squash(cause)
  if (ConfigError.isConfigError(error)) {
    return new DatabaseConfigError({ message: `invalid database configuration: ${String(error)}`, cause: error })
  }
  return error instanceof Error ? error : new Error(Cause.pretty(cause), { cause: error })
}

export const runPromise = <A, E, R, ER>(
  runtime: ManagedRuntime.ManagedRuntime<R, ER>,
  effect: Effect.Effect<A, E, R>
) =>
  runtime
    .runPromiseExit(effect)
    .then((exit) => (Exit.isSuccess(exit) ? exit.value : Promise.reject(rejection(exit.cause as Cause.Cause<unknown>))))

type AnyMethod = (...args: ReadonlyArray<unknown>) => Effect.Effect<unknown, unknown, never>

/** The Promise face of the service under `tag`, run on `runtime`. */
export const promised = <I, S, R, ER>(
  runtime: ManagedRuntime.ManagedRuntime<R | I, ER>,
  tag: { readonly key: string } & Effect.Effect<S, never, I>,
  methods: ReadonlyArray<keyof S & string>
): Promised<S> => {
  const out: Record<string, (...args: ReadonlyArray<unknown>) => Promise<unknown>> = {}
  for (const name of methods) {
    out[name] = (...args) =>
      runPromise(
        runtime,
        Effect.flatMap(tag, (service) => (service[name] as AnyMethod)(...args)).pipe(
          Effect.map((value) => (Option.isOption(value) ? Option.getOrNull(value) : value))
        )
      )
  }
  return out as Promised<S>
}
