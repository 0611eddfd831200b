/**
 * The scheduler of the shadow's fibers. Effect's default scheduler resumes a woken fiber in a microtask, so a
 * lane woken by a caller's write would do its bookkeeping before the caller's own promise settles, and the bot
 * would pay for it on every write. Run in Node's check phase (`setImmediate`), the shadow's work comes after the
 * caller's microtasks and after pending I/O: it only ever uses time the callers leave.
 */
import { Scheduler } from "effect"

export const backgroundScheduler: Scheduler.Scheduler = Scheduler.makeBatched((runBatch) => {
  setImmediate(runBatch)
})
