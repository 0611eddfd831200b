/**
 * Reads from the shadow without stale results (USE_POSTGRES_READ). The shadow lags the primary by the outbox, so
 * a read first asks the primary for the outbox's head (the last write committed, by any process, or written by the
 * caller's own open transaction) and waits, at most `readWait`, until the shadow's position reaches it; the bot
 * then reads its own writes from PostgreSQL as it would from SQLite.
 *
 * The primary answers instead whenever the shadow cannot be trusted to be complete: the wait timed out, the shadow
 * is not open or failing, a dead letter is waiting (the shadow misses that write), this process is not the one
 * applying (it does not know the shadow's position), or the read failed there. It also answers at once, without
 * waiting, when the shadow is more than `maxLag` writes behind: the wait would most likely time out, and every
 * read would pay `readWait` for nothing. `readsFromPrimary` tells the operator how often that happened.
 */
import { type Duration, Effect, Metric, Option } from "effect"
import type { Backend, StoreError } from "../domain/Errors.js"
import type { AppliedWrite, WriteOp } from "../domain/WriteOp.js"
import type { DatabaseStore, Store } from "../store/Store.js"
import { isolated } from "./ShadowIsolation.js"
import * as M from "./ShadowMetrics.js"
import type { ShadowReadView } from "./ShadowWriter.js"

export const consistentReadStore = (
  primary: DatabaseStore,
  shadowBackend: Backend,
  view: ShadowReadView,
  write: (op: WriteOp) => Effect.Effect<AppliedWrite, StoreError>,
  options: { readonly readWait: Duration.Duration; readonly maxLag: number }
): Store => {
  const servedByShadow = Metric.tagged(M.withBackend(M.readsServed, shadowBackend), "role", "shadow")
  const servedByPrimary = Metric.tagged(M.withBackend(M.readsServed, primary.backend), "role", "primary")

  const fromPrimary = <A>(read: Effect.Effect<A, StoreError>) => {
    view.countRead("primary")
    return Effect.zipRight(Metric.increment(servedByPrimary), read)
  }

  /** The shadow, when it holds every write the caller can see (within `readWait`). */
  const currentShadow: Effect.Effect<Option.Option<Store>> = Effect.suspend(() => {
    const usable = view.usable()
    const position = view.position()
    if (Option.isNone(usable) || position === null) return Effect.succeed(Option.none())
    return primary.outbox.head.pipe(
      Effect.flatMap((head) => {
        if (head <= position) return Effect.succeed(true)
        if (head - position > options.maxLag) return Effect.succeed(false)
        return view.awaitPosition(head, options.readWait)
      }),
      Effect.map((caughtUp) => (caughtUp ? Option.map(view.usable(), (s): Store => s) : Option.none<Store>())),
      Effect.orElseSucceed(() => Option.none<Store>())
    )
  })

  const route =
    <Args extends ReadonlyArray<unknown>, A>(read: (store: Store) => (...args: Args) => Effect.Effect<A, StoreError>) =>
    (...args: Args): Effect.Effect<A, StoreError> =>
      Effect.flatMap(currentShadow, (shadow) => {
        if (Option.isNone(shadow)) return fromPrimary(read(primary)(...args))
        // The caller may be inside the primary's transaction, whose connection would otherwise take this query.
        return isolated(read(shadow.value)(...args)).pipe(
          Effect.tap(() => {
            view.countRead("shadow")
            return Metric.increment(servedByShadow)
          }),
          Effect.catchAll((error) =>
            Effect.logWarning("read from the shadow failed; served by the primary").pipe(
              Effect.annotateLogs({ shadow: shadowBackend, error: error.message }),
              Effect.zipRight(fromPrimary(read(primary)(...args)))
            )
          )
        )
      })

  return {
    backend: shadowBackend,
    // Writes belong to StoreRouter.write; one made here anyway commits on the primary with its outbox entry.
    apply: (op) => write(op),
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
