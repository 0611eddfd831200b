/**
 * Where shadow-side work starts, so that it never runs inside a caller's transaction. Every @effect/sql v3 client
 * keeps its open transaction under one shared context key (`SqlClient.TransactionConnection`), and any query,
 * whichever client sends it, runs on the connection found there: a SQLite query issued inside
 * `pg.withTransaction(...)` goes to PostgreSQL. Capturing a client does not help; only the context does.
 *
 * Everything the shadow path starts goes through here: its lanes and health loop are forked with `forkShadow`,
 * and the work a caller's fiber does on the shadow's behalf (a read served by the shadow, a replay's applies) is
 * wrapped in `isolated`. Both drop the transaction key, so the shadow's queries open their own connections (or
 * their own transaction) on the shadow database, whatever transaction the caller, or whoever built the layer,
 * has open. Primary-side work (journal inserts) is not isolated: it belongs to the primary and may join its
 * transaction, and outside it a SQLite query would wait for the transaction's own connection.
 */
import { SqlClient } from "@effect/sql"
import { Context, Effect, FiberRef, type Fiber, type Scope } from "effect"
import { backgroundScheduler } from "./BackgroundScheduler.js"

/** `effect` as if no transaction were open, though its caller may be inside one. */
export const isolated = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.locallyWith(effect, FiberRef.currentContext, Context.omit(SqlClient.TransactionConnection))

/** A fiber of the shadow's own, in `scope`, outside any transaction, on the BackgroundScheduler. */
export const forkShadow = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  scope: Scope.Scope
): Effect.Effect<Fiber.RuntimeFiber<A, E>, never, R> =>
  Effect.forkIn(Effect.withScheduler(isolated(effect), backgroundScheduler), scope)
