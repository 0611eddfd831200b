/**
 * The StoreRouter of a shadowed mode: a write commits on the primary, and only then is the row the primary
 * decided (`AppliedWrite.replicate`: an increment arrives as the absolute count) handed to the shadow writer.
 * The caller gets the primary's result without waiting for the shadow.
 */
import { Effect } from "effect"
import type { Backend } from "../domain/Errors.js"
import type { WriteOp } from "../domain/WriteOp.js"
import type { StoreRouterShape } from "../services/StoreRouter.js"
import type { Store } from "../store/Store.js"
import { timedWrites } from "./TimedWrites.js"
import type { ShadowWriter } from "./ShadowWriter.js"

export const shadowedRouter = (options: {
  readonly primary: Store
  readonly writer: ShadowWriter
  /** Where reads go: the primary itself, or a consistent view of the shadow. */
  readonly read: Store
  readonly reads: Backend
}): StoreRouterShape => {
  const applyPrimary = timedWrites(options.primary)
  return {
    read: options.read,
    // Uninterruptible: once the primary has committed, the write must reach the shadow writer, or the shadow
    // would silently miss it. A primary write that changed nothing has nothing to replicate.
    write: (op: WriteOp) =>
      Effect.uninterruptible(
        Effect.tap(applyPrimary(op), (applied) =>
          applied.rowsAffected > 0 ? options.writer.submit(applied.replicate) : Effect.void
        )
      )
  }
}
