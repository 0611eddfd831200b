/**
 * Where the services send their reads and writes. A plain backend reads and writes one Store; the migration
 * modes (see `src/runtime/modes`) route reads to one database and fan writes out to two. The services never know which.
 */
import { Context, type Effect } from "effect"
import type { StoreError } from "../domain/Errors.js"
import type { AppliedWrite, WriteOp } from "../domain/WriteOp.js"
import type { Store } from "../store/Store.js"

export interface StoreRouterShape {
  readonly read: Store
  /** Applies a write to the primary and returns once it committed there (replication is the router's job). */
  readonly write: (op: WriteOp) => Effect.Effect<AppliedWrite, StoreError>
}

export class StoreRouter extends Context.Tag("@repo/database/StoreRouter")<StoreRouter, StoreRouterShape>() {}

export const singleStore = (store: Store): StoreRouterShape => ({ read: store, write: (op) => store.apply(op) })
