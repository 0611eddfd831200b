/**
 * Repair's first step: replay the shadow journals, so that the writes the shadow missed reach it in the order
 * they were issued, before rows are copied. (Copying first and replaying after could apply an old journaled
 * update over a row just copied in its newer state.) Entries whose target is the primary are left alone: the
 * primary is authoritative, and replaying old writes onto it could undo newer ones.
 */
import { Effect } from "effect"
import type { Backend, StoreError } from "../../runtime/domain/Errors.js"
import * as ShadowJournal from "../../runtime/modes/ShadowJournal.js"
import type { Databases } from "../verify/Databases.js"
import { otherBackend } from "../verify/VerifyOptions.js"
import type { JournalReplayReport } from "./RepairReport.js"

export const replayJournals = (
  db: Databases,
  primary: Backend,
  dryRun: boolean
): Effect.Effect<ReadonlyArray<JournalReplayReport>, StoreError> =>
  Effect.gen(function* () {
    const other = otherBackend(primary)
    const reports: Array<JournalReplayReport> = []
    for (const journal of ["sqlite", "postgres"] as const) {
      const shadowJournal = ShadowJournal.make(db.client(journal), journal)
      for (const target of ["sqlite", "postgres"] as const) {
        const before = yield* shadowJournal.size(target)
        if (before === 0) continue
        const base = { journal, target, before, applied: 0, kept: before, remaining: before, failures: [] }
        if (target !== other) {
          reports.push({ ...base, skipped: `they target the primary (${primary}), which is authoritative` })
        } else if (dryRun) {
          reports.push({ ...base, skipped: "dry run" })
        } else {
          const result = yield* shadowJournal.replay(db.store(target))
          reports.push({
            journal,
            target,
            before,
            applied: result.applied,
            kept: result.kept,
            remaining: result.remaining,
            stoppedBy: result.stoppedBy,
            failures: result.failures
          })
        }
      }
    }
    return reports
  })
