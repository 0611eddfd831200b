/**
 * The StoreRouter of a shadowed mode: a write commits on the primary together with its outbox entry (the row the
 * primary decided, `AppliedWrite.replicate`: an increment arrives as the absolute count), and the caller gets the
 * primary's result without waiting for the shadow. Text loses its U+0000 first, so both databases store the same.
 */
import type { StoreRouterShape } from "../services/StoreRouter.js"
import type { Store } from "../store/Store.js"
import { writeWithoutNul } from "./NulText.js"
import type { ShadowWriter } from "./ShadowWriter.js"

export const shadowedRouter = (options: {
  readonly writer: ShadowWriter
  /** Where reads go: the primary itself, or a consistent view of the shadow. */
  readonly read: Store
}): StoreRouterShape => ({
  read: options.read,
  write: writeWithoutNul(options.writer.write)
})
