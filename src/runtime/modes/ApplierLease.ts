/**
 * One applier at a time per primary, across processes (two bots on one SQLite file during a rolling deploy): a
 * lease row in the primary names its holder and an expiry. The holder renews it at a third of its life; another
 * process takes it only once it has expired, so a holder that dies (SIGKILL, no shutdown) hands over after at
 * most one lease time, and a clean shutdown hands over at once. The lease keeps appliers from doing the same
 * work twice; what makes a stray second applier harmless is the shadow's position, advanced compare-and-set in the
 * same transaction as the entries (see ApplyBatch).
 */
import { type Clock, Duration, Effect } from "effect"
import type { StoreError } from "../domain/Errors.js"
import type { OutboxLog } from "../store/ReplicationLog.js"

export interface ApplierLease {
  /** This process's name in the lease row. */
  readonly holder: string
  /** Takes or renews the lease when due; true while this process holds it. */
  readonly ensure: Effect.Effect<boolean, StoreError>
  /** Whether this process held the lease at its last claim and it has not run out since. */
  readonly held: () => boolean
  /** Gives it up (shutdown), so that another process takes over at once. */
  readonly release: Effect.Effect<void>
}

export const makeApplierLease = (
  outbox: OutboxLog,
  holder: string,
  ttl: Duration.Duration,
  clock: Clock.Clock
): ApplierLease => {
  const ttlMillis = Duration.toMillis(ttl)
  let validUntil = 0
  let renewAt = 0

  const held = () => clock.unsafeCurrentTimeMillis() < validUntil

  const ensure = Effect.suspend(() => {
    const now = clock.unsafeCurrentTimeMillis()
    if (now < renewAt && now < validUntil) return Effect.succeed(true)
    const until = now + ttlMillis
    return Effect.map(outbox.claimLease(holder, now, until), (ok) => {
      validUntil = ok ? until : 0
      renewAt = ok ? now + ttlMillis / 3 : 0
      return ok
    })
  })

  const release = Effect.suspend(() => {
    const wasHeld = held()
    validUntil = 0
    renewAt = 0
    return wasHeld ? Effect.ignore(outbox.releaseLease(holder)) : Effect.void
  })

  return { holder, ensure, held, release }
}
