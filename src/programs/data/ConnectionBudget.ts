/**
 * A load never asks the pool for more connections at once than the pool has: every connection the load takes (a
 * table's session, an index build) first takes a permit of a semaphore as large as the pool, kept per pool.
 *
 * Why: the load overlaps work (a table's indexes are built while the next table loads, index builds run side by
 * side), and on a small pool (one connection: the embedded server, or `POSTGRES_POOL_SIZE=1`) the extra checkout
 * would wait in node-postgres' pool queue, where the pool's connection timeout applies to the wait too: as soon as
 * the work ahead took longer than `connectTimeoutMs`, the load failed with "timeout exceeded when trying to
 * connect". Waiting for a permit has no timeout, and the checkout after it finds a free connection at once, so the
 * timeout is left to mean what it says: the server cannot be reached.
 *
 * Nothing that holds a permit waits for another one (several are taken in one step), so the waits always end.
 */
import { Effect, type Scope } from "effect"
import type Pg from "pg"

/** node-postgres' own default for `max`. */
const defaultPoolSize = 10

const budgets = new WeakMap<Pg.Pool, Effect.Semaphore>()

const budgetOf = (pool: Pg.Pool): Effect.Semaphore => {
  let budget = budgets.get(pool)
  if (budget === undefined) {
    budget = Effect.unsafeMakeSemaphore(Math.max(1, pool.options.max ?? defaultPoolSize))
    budgets.set(pool, budget)
  }
  return budget
}

/**
 * Permits for `count` connections of `pool`, taken at once and held for the scope. A caller that needs several
 * connections takes them in one step, never one while holding another, so two loads sharing a pool cannot each
 * hold part of what the other waits for. Waiting can be interrupted; once taken, the release is registered before
 * anything else can happen.
 */
export const connectionPermits = (pool: Pg.Pool, count: number): Effect.Effect<void, never, Scope.Scope> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.suspend(() => {
      const budget = budgetOf(pool)
      // Never more than the pool has, or the wait would never end.
      const permits = Math.min(Math.max(1, count), Math.max(1, pool.options.max ?? defaultPoolSize))
      return restore(budget.take(permits)).pipe(Effect.zipRight(Effect.addFinalizer(() => budget.release(permits))))
    })
  )

/** Runs `effect` holding a permit for one connection of `pool` (for a statement through `pool.query`). */
export const withConnectionPermit =
  (pool: Pg.Pool) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.suspend(() => budgetOf(pool).withPermits(1)(effect))
