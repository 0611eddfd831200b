/**
 * Replays dead letters: once the cause is fixed (the missing row imported, the shadow's schema repaired), the
 * entries the shadow refused are applied again, in their outbox order, each removed in the same transaction that
 * applies it. An entry that still fails keeps every later dead letter of its aggregate (they were held behind it);
 * other aggregates go on; a transient error stops the replay with everything left in place. Run it only while no
 * applier runs for the same primary (the running bot's `ShadowHealth.replay` pauses its applier; repair holds the
 * lease), or live entries could interleave with replayed ones.
 */
import { Effect, Either, Schema } from "effect"
import type { StoreError } from "../domain/Errors.js"
import { WriteOp } from "../domain/WriteOp.js"
import type { DatabaseStore } from "../store/Store.js"
import { singleWriteOperations } from "./ApplyBatch.js"
import type { ReplayFailure, ReplayResult } from "./ShadowHealth.js"
import { isTransient } from "./TransientError.js"

const decodePayload = Schema.decodeUnknownEither(Schema.parseJson(WriteOp))
const isDelete = (op: WriteOp) => op._tag === "DeleteDocument" || op._tag === "RemoveCollaborator"
const maxReportedFailures = 20
/** Dead letters read at most per replay (a replay that leaves more is simply run again). */
const maxLetters = 100_000

export const replayDeadLetters = (shadow: DatabaseStore, origin: string): Effect.Effect<ReplayResult, StoreError> =>
  Effect.gen(function* () {
    const letters = yield* shadow.replica.deadLetters({ origin, limit: maxLetters })
    const stuck = new Set<string>()
    const failures: Array<ReplayFailure> = []
    let applied = 0
    let kept = 0
    let stoppedBy: string | undefined
    const keep = (letter: (typeof letters)[number], error: string) => {
      kept++
      if (!singleWriteOperations.includes(letter.operation)) stuck.add(letter.aggregateKey)
      if (failures.length < maxReportedFailures) {
        failures.push({ seq: letter.seq, aggregateKey: letter.aggregateKey, operation: letter.operation, error })
      }
    }
    for (const letter of letters) {
      if (stuck.has(letter.aggregateKey)) {
        kept++
        continue
      }
      const op = decodePayload(letter.payload)
      if (Either.isLeft(op)) {
        keep(letter, `undecodable payload: ${op.left.message}`)
        continue
      }
      const outcome = yield* Effect.either(
        shadow.transaction(
          Effect.gen(function* () {
            const result = yield* shadow.apply(op.right, { asReplica: true })
            if (result.rowsAffected === 0 && !isDelete(op.right)) return false
            yield* shadow.replica.removeDeadLetters(origin, [letter.seq])
            return true
          })
        )
      )
      if (Either.isLeft(outcome)) {
        if (isTransient(outcome.left)) {
          stoppedBy = outcome.left.message
          break
        }
        keep(letter, outcome.left.message)
      } else if (outcome.right) {
        applied++
      } else {
        keep(letter, `no row to change on ${shadow.backend}: the row this write changes is still missing there`)
      }
    }
    const remaining = yield* shadow.replica.deadLetterCount(origin)
    if (letters.length === 0) return { target: shadow.backend, applied, kept, remaining, failures }
    yield* Effect.logInfo("dead letters replayed").pipe(
      Effect.annotateLogs({ target: shadow.backend, applied, kept, remaining, stoppedBy: stoppedBy ?? "none" })
    )
    return {
      target: shadow.backend,
      applied,
      kept,
      remaining,
      failures,
      ...(stoppedBy === undefined ? {} : { stoppedBy })
    } satisfies ReplayResult
  })
