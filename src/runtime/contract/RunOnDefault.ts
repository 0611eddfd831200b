/**
 * How the bot's bare functions run: on the package's default database (configured from the environment, opened on
 * the first call, closed by `closeDatabase`), so every function follows the mode USE_POSTGRES_* selects. A typed
 * error rejects the promise with the error itself (K25); `Option.none` becomes `null` where a function says so.
 */
import { Effect } from "effect"
import type { Database } from "../modes/DatabaseLayer.js"
import { defaultDatabase } from "../facade/defaultDatabase.js"
import { runPromise } from "../facade/Promised.js"

export const runOnDefault = <A, E>(effect: Effect.Effect<A, E, Database>): Promise<A> =>
  runPromise(defaultDatabase().runtime, effect)

/** Runs `f` with the service under `tag` on the default database. */
export const withService = <I extends Database, S, A, E>(
  tag: Effect.Effect<S, never, I>,
  f: (service: S) => Effect.Effect<A, E, Database>
): Promise<A> => runOnDefault(Effect.flatMap(tag, f))
