/**
 * Reads from the shadow without stale results (USE_POSTGRES_READ). The shadow lags the primary by its queue, so
 * a read first waits (at most `readWait`) until every write issued before it has reached the shadow (the
 * watermark, see Watermark.ts); the bot then reads its own writes from PostgreSQL as it would from SQLite.
 *
 * The primary answers instead whenever the shadow cannot be trusted to be complete: the wait timed out, a write
 * is in the journal or was lost (the shadow misses it until replay), the shadow is down, or the read failed
 * there. It also answers at once, without waiting, when the shadow is more than `maxLag` writes behind: the wait
 * would most likely time out, and every read would pay `readWait` for nothing. Serving a stale or failed read to a
 * user to exercise PostgreSQL would be the wrong trade; the `readsFromPrimary` count tells the operator how
 * often it happened.
 */
import { type Duration, Effect, Metric } from "effect"
import type { StoreError } from "../domain/Errors.js"
import type { Store } from "../store/Store.js"
import { isolated } from "./ShadowIsolation.js"
import * as M from "./ShadowMetrics.js"
import type { ShadowWriter } from "./ShadowWriter.js"

export const consistentReadStore = (
  primary: Store,
  shadow: Store,
  writer: ShadowWriter,
  options: { readonly readWait: Duration.Duration; readonly maxLag: number }
): Store => {
  const servedByShadow = Metric.tagged(M.withBackend(M.readsServed, shadow.backend), "role", "shadow")
  const servedByPrimary = Metric.tagged(M.withBackend(M.readsServed, primary.backend), "role", "primary")

  const fromPrimary = <A>(read: Effect.Effect<A, StoreError>) => {
    writer.countRead("primary")
    return Effect.zipRight(Metric.increment(servedByPrimary), read)
  }

  const shadowIsCurrent = Effect.suspend(() =>
    writer.inSync() && writer.queueDepth() <= options.maxLag
      ? Effect.map(writer.awaitSubmitted(options.readWait), (caughtUp) => caughtUp && writer.inSync())
      : Effect.succeed(false)
  )

  const route =
    <Args extends ReadonlyArray<unknown>, A>(read: (store: Store) => (...args: Args) => Effect.Effect<A, StoreError>) =>
    (...args: Args): Effect.Effect<A, StoreError> =>
      Effect.flatMap(shadowIsCurrent, (current) => {
        if (!current) return fromPrimary(read(primary)(...args))
        // The caller may be inside the primary's transaction, whose connection would otherwise take this query.
        return isolated(read(shadow)(...args)).pipe(
          Effect.tap(() => {
            writer.countRead("shadow")
            return Metric.increment(servedByShadow)
          }),
          Effect.catchAll((error) =>
            Effect.logWarning("read from the shadow failed; served by the primary").pipe(
              Effect.annotateLogs({ shadow: shadow.backend, error: error.message }),
              Effect.zipRight(fromPrimary(read(primary)(...args)))
            )
          )
        )
      })

  return {
    backend: shadow.backend,
    // Writes belong to StoreRouter.write; one made here anyway still commits on the primary and reaches the shadow.
    apply: (op, applyOptions) =>
      Effect.uninterruptible(
        Effect.tap(primary.apply(op, applyOptions), (applied) =>
          applied.rowsAffected > 0 ? writer.submit(applied.replicate) : Effect.void
        )
      ),
    getMessageById: route((s) => s.getMessageById),
    queryMessages: route((s) => s.queryMessages),
    countMessages: route((s) => s.countMessages),
    getQueryById: route((s) => s.getQueryById),
    recentQueries: route((s) => s.recentQueries),
    countQueries: route((s) => s.countQueries),
    getDocument: route((s) => s.getDocument),
    listDocuments: route((s) => s.listDocuments),
    countDocuments: route((s) => s.countDocuments),
    getCollaborators: route((s) => s.getCollaborators),
    hasDocumentAccess: route((s) => s.hasDocumentAccess),
    getUserProfile: route((s) => s.getUserProfile),
    usersNeedingAnalysis: route((s) => s.usersNeedingAnalysis),
    allUserProfiles: route((s) => s.allUserProfiles),
    analysisHistory: route((s) => s.analysisHistory)
  }
}
