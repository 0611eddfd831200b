/**
 * Repair's first and last shadow steps. First: the writes the other side misses reach it in commit order before
 * any row is copied (copying first and applying after could lay an old write over a row just copied in its newer
 * state): the primary's outbox is drained into the other side as the bot's applier would drain it, under the
 * applier lease, and the dead letters are replayed. When a running bot holds the lease, its applier does this
 * itself and the step only reports. Last, once every row the primary has was copied: the dead letters still left
 * are superseded (the rows they would have changed now equal the primary's) and removed. The other direction's
 * outbox (writes for the primary) is left alone: the primary is authoritative.
 */
import { Duration, Effect } from "effect"
import { hostname } from "node:os"
import { defaultShadowOptions } from "../../runtime/config/ShadowOptions.js"
import type { Backend, StoreError } from "../../runtime/domain/Errors.js"
import { drainOutbox } from "../../runtime/modes/OutboxDrain.js"
import type { Databases } from "../verify/Databases.js"
import { otherBackend } from "../verify/VerifyOptions.js"
import type { ShadowRepairReport } from "./RepairReport.js"

/** How long repair applies the outbox at most before moving on to the rows. */
const drainTimeout = Duration.minutes(10)

export const repairShadowBefore = (
  db: Databases,
  primary: Backend,
  dryRun: boolean
): Effect.Effect<ShadowRepairReport, StoreError> =>
  Effect.gen(function* () {
    const other = otherBackend(primary)
    const source = db.store(primary)
    const target = db.store(other)
    const origin = yield* source.outbox.origin
    const base = { from: primary, to: other }
    if (dryRun) {
      const applied = yield* target.replica.appliedPosition(origin)
      const stats = yield* source.outbox.stats(applied ?? 0)
      const dead = yield* target.replica.deadLetterCount(origin)
      return {
        ...base,
        pendingBefore: stats.pending,
        applied: 0,
        deadLettered: 0,
        pendingAfter: stats.pending,
        deadLettersBefore: dead,
        replayed: 0,
        deadLettersAfter: dead,
        failures: [],
        superseded: 0,
        skipped: "dry run"
      }
    }
    const result = yield* drainOutbox(source, target, {
      ...defaultShadowOptions,
      holder: `omega-db repair ${hostname()}:${process.pid}`,
      timeout: drainTimeout
    })
    return {
      ...base,
      pendingBefore: result.pendingBefore,
      applied: result.applied,
      deadLettered: result.deadLettered,
      pendingAfter: result.pendingAfter,
      deadLettersBefore: result.deadLettersBefore,
      replayed: result.replay?.applied ?? 0,
      deadLettersAfter: yield* target.replica.deadLetterCount(origin),
      failures: result.replay?.failures ?? [],
      superseded: 0,
      skipped: result.skipped,
      stoppedBy: result.stoppedBy ?? result.replay?.stoppedBy
    }
  })

/** Removes the dead letters `before` found still there: the row copy that just ran superseded them. */
export const removeSupersededDeadLetters = (
  db: Databases,
  primary: Backend,
  before: ShadowRepairReport
): Effect.Effect<ShadowRepairReport, StoreError> =>
  Effect.gen(function* () {
    const target = db.store(otherBackend(primary))
    const origin = yield* db.store(primary).outbox.origin
    const letters = yield* target.replica.deadLetters({ origin, limit: 100_000 })
    yield* target.replica.removeDeadLetters(
      origin,
      letters.map((l) => l.seq)
    )
    return {
      ...before,
      superseded: letters.length,
      deadLettersAfter: yield* target.replica.deadLetterCount(origin)
    }
  })
