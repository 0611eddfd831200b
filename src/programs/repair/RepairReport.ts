/** What repair did, step by step, and the verification that ran after it. */
import type { Backend } from "../../runtime/domain/Errors.js"
import type { ReplayFailure } from "../../runtime/modes/ShadowJournal.js"
import type { VerifyReport } from "../verify/VerifyReport.js"

export interface JournalReplayReport {
  /** The database whose journal was read. */
  readonly journal: Backend
  readonly target: Backend
  /** Entries waiting before the replay. */
  readonly before: number
  readonly applied: number
  readonly kept: number
  readonly remaining: number
  readonly stoppedBy?: string | undefined
  readonly failures: ReadonlyArray<ReplayFailure>
  /** Why the entries were left alone (they target the primary, or this is a dry run). */
  readonly skipped?: string | undefined
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
  readonly journal: ReadonlyArray<JournalReplayReport>
  readonly fts: FtsRepairReport
  readonly tables: ReadonlyArray<TableRepairReport>
  /**
   * Rows the other side refused that were not recorded rejects (the first few hundred); each is recorded as a
   * reject when a rejects path is given.
   */
  readonly unrepairable: ReadonlyArray<UnrepairableRow>
  readonly rejectsRecorded?: { readonly file: string; readonly count: number } | undefined
  readonly verify: VerifyReport
}
