/**
 * A source table read page by page, synchronously: `next` returns up to the page size of rows, fewer only at the
 * end (an empty page once exhausted), and throws a typed error. Synchronous on purpose: a page is read and
 * converted in one step and is garbage before the event loop runs again, so the collector never has to keep it.
 */
import { Effect } from "effect"
import type { SourceRow } from "./SqliteSource.js"

export interface PageReader {
  /** Rows per page; a shorter page is the last. */
  readonly pageRows: number
  readonly next: () => ReadonlyArray<SourceRow>
}

/**
 * Lets Node's event loop run between synchronous steps: sockets send what is queued (the previous COPY batch),
 * timers fire (progress bars), and the garbage collector's tasks run while no page is alive.
 */
export const yieldToEventLoop = Effect.async<void>((resume) => {
  setImmediate(() => resume(Effect.void))
})
