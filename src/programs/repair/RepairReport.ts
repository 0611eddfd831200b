/** What repair did, step by step, and the verification that ran after it. */
import type { Backend } from "../../runtime/domain/Errors.js"
import type { ReplayFailure } from "../../runtime/modes/ShadowHealth.js"
import type { VerifyReport } from "../verify/VerifyReport.js"
import type { TallyRepairReport } from "./RepairTallies.js"

/** What repair did to the shadow writes from the primary's outbox to the other database. */
export interface ShadowRepairReport {
  readonly from: Backend
  readonly to: Backend
  /** Outbox entries the other side had not applied when repair began. */
  readonly pendingBefore: number
  /** Of them, applied by repair. */
  readonly applied: number
  /** Of them, refused by the other side (recorded as dead letters). */
  readonly deadLettered: number
  readonly pendingAfter: number
  readonly deadLettersBefore: number
  /** Dead letters applied by the replay. */
  readonly replayed: number
  /** Dead letters left after the replay, or after the row copy superseded them. */
  readonly deadLettersAfter: number
  /** Dead letters the replay could not apply, first ones. */
  readonly failures: ReadonlyArray<ReplayFailure>
  /** Dead letters removed after the row copy made their rows equal to the primary's. */
  readonly superseded: number
  /** Why the outbox was left to others (a running bot's applier holds the lease, or a dry run). */
  readonly skipped?: string | undefined
  readonly stoppedBy?: string | undefined
}

export interface FtsRepairReport {
  readonly problems: ReadonlyArray<string>
  /** Triggers recreated in the 'delete'-command form and the index rebuilt from messages. */
  readonly repaired: boolean
}

export interface UnrepairableRow {
  readonly table: string
  readonly key: string
  readonly reason: string
}

export interface TableRepairReport {
  readonly table: string
  /** Rows copied from the primary (missing or different on the other side). */
  readonly copied: number
  /** Rows only on the other side that were deleted (`deleteExtra`). */
  readonly deleted: number
  /** Rows only on the other side that were left in place. */
  readonly extra: number
  /** Rows the other side refused that are not recorded rejects (listed in `RepairReport.unrepairable`). */
  readonly unrepairable: number
  /** Rows refused again that are recorded rejects already (known, explained; not listed again). */
  readonly knownRejects: number
  /** Differences that resolved themselves before repair got to them (the row changed or went meanwhile). */
  readonly vanished: number
  readonly copiedKeys: ReadonlyArray<string>
  readonly deletedKeys: ReadonlyArray<string>
  readonly extraKeys: ReadonlyArray<string>
  readonly error?: string | undefined
}

export interface RepairReport {
  /** True when the verification after the repair passed. */
  readonly ok: boolean
  readonly primary: Backend
  readonly other: Backend
  readonly dryRun: boolean
  readonly shadow: ShadowRepairReport
  readonly fts: FtsRepairReport
  readonly tables: ReadonlyArray<TableRepairReport>
  readonly tallies: TallyRepairReport
  /**
   * Rows the other side refused that were not recorded rejects (the first few hundred); each is recorded as a
   * reject when a rejects path is given.
   */
  readonly unrepairable: ReadonlyArray<UnrepairableRow>
  readonly rejectsRecorded?: { readonly file: string; readonly count: number } | undefined
  readonly verify: VerifyReport
}
