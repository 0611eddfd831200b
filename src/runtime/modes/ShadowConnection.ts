/**
 * The shadow database, opened when it can be. The bot must start and serve from its primary while the shadow is
 * unreachable (a shadow that failed the whole layer made every write fail, SQLite's included), so the shadow's
 * layer is built in the background, retried with a capped backoff until it opens; its schema migrations run when
 * it first connects. Until then the applier waits (the outbox keeps every write) and reads use the primary.
 */
import {
  Cause,
  Context,
  Deferred,
  type Duration,
  Effect,
  ExecutionStrategy,
  Exit,
  Layer,
  Option,
  Schedule,
  Scope
} from "effect"
import type { Backend, StoreError } from "../domain/Errors.js"
import type { DatabaseStore } from "../store/Store.js"
import { forkShadow } from "./ShadowIsolation.js"

export interface ShadowConnection {
  readonly backend: Backend
  /** The shadow's store once it is open. */
  readonly current: () => Option.Option<DatabaseStore>
  /** Waits until the shadow is open. */
  readonly await: Effect.Effect<DatabaseStore>
  /** Why the last attempt to open it failed, while it is not open. */
  readonly lastError: () => string | null
}

/** A shadow opened already (tests and tools that opened both databases themselves). */
export const opened = (store: DatabaseStore): ShadowConnection => ({
  backend: store.backend,
  current: () => Option.some(store),
  await: Effect.succeed(store),
  lastError: () => null
})

const describe = (cause: Cause.Cause<unknown>): string => {
  const error = Cause.squash(cause)
  return error instanceof Error ? error.message : String(error)
}

/**
 * Opens `layer` in the background of the current scope (what it opens closes with that scope) and hands out the
 * store under `tag` once it is built.
 */
export const lazily = <I>(
  backend: Backend,
  layer: Layer.Layer<I, StoreError>,
  tag: Context.Tag<I, DatabaseStore>,
  retry: { readonly baseDelay: Duration.Duration; readonly maxDelay: Duration.Duration }
): Effect.Effect<ShadowConnection, never, Scope.Scope> =>
  Effect.gen(function* () {
    // Forked now, before anything that uses the shadow registers its own finalizers (the applier's drain): the
    // shadow's connections then close after those ran, however late the open succeeds.
    const scope = yield* Scope.fork(yield* Effect.scope, ExecutionStrategy.sequential)
    const ready = yield* Deferred.make<DatabaseStore>()
    let store: Option.Option<DatabaseStore> = Option.none()
    let lastError: string | null = null
    let failures = 0

    const attempt = Effect.gen(function* () {
      // Each attempt in a scope of its own: whatever a failed attempt opened is closed at once.
      const attemptScope = yield* Scope.fork(scope, ExecutionStrategy.sequential)
      const built = yield* Effect.exit(Layer.buildWithScope(layer, attemptScope))
      if (Exit.isFailure(built)) {
        yield* Scope.close(attemptScope, built)
        failures++
        lastError = describe(built.cause)
        // Said when it starts failing, then every tenth attempt: an outage must not flood the log.
        if (failures === 1 || failures % 10 === 0) {
          yield* Effect.logWarning(
            "shadow database unavailable: the primary serves alone, writes wait in the outbox"
          ).pipe(Effect.annotateLogs({ shadow: backend, attempts: failures, error: lastError }))
        }
        return yield* Effect.fail(lastError)
      }
      const store_ = Context.get(built.value, tag)
      store = Option.some(store_)
      lastError = null
      if (failures > 0) {
        yield* Effect.logInfo("shadow database connected").pipe(Effect.annotateLogs({ shadow: backend, failures }))
      }
      yield* Deferred.succeed(ready, store_)
    })

    const backoff = Schedule.exponential(retry.baseDelay, 2).pipe(
      Schedule.jittered,
      Schedule.union(Schedule.spaced(retry.maxDelay))
    )
    yield* forkShadow(Effect.retry(attempt, backoff), scope)

    return {
      backend,
      current: () => store,
      await: Deferred.await(ready),
      lastError: () => lastError
    } satisfies ShadowConnection
  })
