/**
 * Read-your-writes over an asynchronous shadow. Every shadow write gets an increasing sequence number when it is
 * issued; the watermark is the highest number below which every write is resolved (applied to the shadow or
 * journaled). A read that waits for the watermark to reach the last number issued before it sees every write
 * that completed before it started, including the caller's own.
 *
 * Lanes resolve writes out of order across lanes but in order within one, so the watermark is one below the
 * oldest unresolved write of any lane.
 */
import { Deferred, Duration, Effect, Option } from "effect"

interface Waiter {
  readonly seq: number
  readonly done: Deferred.Deferred<void>
}

export interface Watermark {
  /** Numbers the next write and records it as pending in `lane`. */
  readonly issue: (lane: number) => number
  /** Numbers a write that is resolved at once (journaled without queueing). */
  readonly issueResolved: () => number
  /** Marks the oldest `count` pending writes of `lane` resolved. */
  readonly resolve: (lane: number, count: number) => void
  /** The last number issued. */
  readonly issued: () => number
  /** Every write numbered at or below this is resolved. */
  readonly current: () => number
  /** Succeeds with true once the watermark reaches `seq`, or with false after `timeout`. */
  readonly awaitSeq: (seq: number, timeout: Duration.Duration) => Effect.Effect<boolean>
}

/** A FIFO of numbers with amortised O(1) shift. */
class Fifo {
  private items: Array<number> = []
  private head = 0
  push(n: number) {
    this.items.push(n)
  }
  first(): number | undefined {
    return this.items[this.head]
  }
  drop(count: number) {
    this.head += count
    if (this.head >= this.items.length) {
      this.items = []
      this.head = 0
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
  }
}

export const makeWatermark = (lanes: number): Watermark => {
  const pending = Array.from({ length: lanes }, () => new Fifo())
  let issued = 0
  let waiters: Array<Waiter> = []

  const current = () => {
    let oldest = Infinity
    for (const fifo of pending) {
      const first = fifo.first()
      if (first !== undefined && first < oldest) oldest = first
    }
    return oldest === Infinity ? issued : oldest - 1
  }

  const notify = () => {
    if (waiters.length === 0) return
    const mark = current()
    const ready = waiters.filter((w) => w.seq <= mark)
    if (ready.length === 0) return
    waiters = waiters.filter((w) => w.seq > mark)
    for (const w of ready) Deferred.unsafeDone(w.done, Effect.void)
  }

  const awaitSeq = (seq: number, timeout: Duration.Duration) =>
    Effect.suspend(() => {
      if (current() >= seq) return Effect.succeed(true)
      return Effect.flatMap(Deferred.make<void>(), (done) => {
        const waiter = { seq, done }
        waiters.push(waiter)
        // Interruptible even when the caller is not (a shutdown finalizer), or the timeout could not cut it short.
        return Deferred.await(done).pipe(
          Effect.interruptible,
          Effect.timeout(timeout),
          Effect.option,
          Effect.map(Option.isSome),
          Effect.ensuring(
            Effect.sync(() => {
              waiters = waiters.filter((w) => w !== waiter)
            })
          )
        )
      })
    })

  return {
    issue: (lane) => {
      issued += 1
      pending[lane]!.push(issued)
      return issued
    },
    issueResolved: () => {
      issued += 1
      notify()
      return issued
    },
    resolve: (lane, count) => {
      pending[lane]!.drop(count)
      notify()
    },
    issued: () => issued,
    current,
    awaitSeq
  }
}
