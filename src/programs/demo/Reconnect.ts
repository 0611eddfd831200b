/**
 * The embedded server takes one connection, and frees its slot only once it has seen the previous client's
 * socket close, a moment after that client's `pool.end()` resolved. A phase that opens PostgreSQL right after
 * the previous one closed can lose that race ("Connection terminated unexpectedly"): opening is retried briefly
 * on exactly that error. Any other failure to open, and a real server's refusal, fail at once.
 *
 * Not a pool of ours left open: measured, a fully ended pool (every client's socket closed on our side) followed
 * at once by a new one is refused every other time. pglite-socket sets Node's `net.Server.maxConnections` to 1,
 * and Node counts the server's end of the old socket until that socket's own 'close' event, one event-loop turn
 * or so later; the new connection is dropped by Node before pglite-socket sees it. A few milliseconds later it is
 * accepted. Nothing on the client side can wait for the server's socket, so retrying is the fix.
 */
import { Layer, Schedule } from "effect"
import { StoreError } from "../../runtime/domain/Errors.js"

const slotStillTaken = (error: unknown): boolean =>
  error instanceof StoreError &&
  error.backend === "postgres" &&
  error.operation === "open" &&
  /Connection terminated unexpectedly|too many connections/i.test(error.message)

/** About three seconds of retries, 50 ms apart, while the embedded server's slot is still taken. */
export const retryWhileSlotTaken = <A, E, R>(layer: Layer.Layer<A, E, R>): Layer.Layer<A, E, R> =>
  Layer.retry(
    layer,
    Schedule.spaced("50 millis").pipe(Schedule.intersect(Schedule.recurs(60)), Schedule.whileInput(slotStillTaken))
  )
