/**
 * `repair`: brings the non-primary database back in line with the primary, then verifies. In order:
 * 1. apply the primary's outbox to the other side (writes it missed, in commit order) and replay its dead letters
 *    (RepairShadow), unless a running bot's applier does so;
 * 2. repair SQLite's full-text index if its triggers or index are broken;
 * 3. copy, table by table (parents first), every row verify would find missing or different, by key;
 *    rows only on the other side are deleted only with `deleteExtra`;
 * 4. record the rows the other side refuses as rejects (when a rejects path is given), so they stay listed;
 * 5. recount, on either database, the tallies that differ from their rows (RepairTallies);
 * 6. run verify again and include its report.
 * Run it while writes are quiet. Each row is re-read from the primary just before it is copied, but a write that
 * commits and reaches the shadow in the moment between that read and the upsert is overwritten by the older row;
 * the final verify shows such a row, and running repair again fixes it.
 */
import { repairTallies, type TallyRepairReport } from "./RepairTallies.js"
import { type ConfigError, Effect } from "effect"
import type { Backend } from "../../runtime/domain/Errors.js"
import { type Table, tables } from "../../runtime/domain/Tables.js"
import type { PostgresDatabase } from "../../runtime/layers/PostgresDatabase.js"
import type { SqliteDatabase } from "../../runtime/layers/SqliteDatabase.js"
import { type DbRow, encodeValue, normaliseRow } from "../../runtime/store/RowCodec.js"
import type { SqliteCell } from "../data/ConversionRules.js"
import type { MalformedReject, RejectRecord } from "../data/RejectRecord.js"
import { databases } from "../verify/Databases.js"
import { describeCause, describeError } from "../verify/Describe.js"
import { appendRejects, noRejects, readRejects } from "../verify/Rejects.js"
import { verify } from "../verify/Verify.js"
import type { VerifyError } from "../verify/VerifyError.js"
import { otherBackend } from "../verify/VerifyOptions.js"
import { repairFts } from "./RepairFts.js"
import { type RepairOptions, resolveRepairOptions } from "./RepairOptions.js"
import type { RepairReport, ShadowRepairReport, TableRepairReport, UnrepairableRow } from "./RepairReport.js"
import { repairTable } from "./RepairRows.js"
import { removeSupersededDeadLetters, repairShadowBefore } from "./RepairShadow.js"

/** Unrepairable rows listed in the report (all of them still go to the rejects file). */
const reportedUnrepairable = 200

/**
 * The row as the rejects file holds rows: every column as a SQLite cell (RejectRecord writes it in the export
 * encoding), exactly as the primary stored it (a SQLite row untouched, U+0000 and all; a PostgreSQL row with JSON as text and booleans as
 * 0/1), so that a reject loses nothing.
 */
const rejectRow = (table: Table, raw: DbRow, primary: Backend): Record<string, SqliteCell> => {
  const decoded = primary === "sqlite" ? raw : normaliseRow(table.columns, raw, "postgres")
  const cells: Record<string, SqliteCell> = {}
  for (const [name, column] of Object.entries(table.columns)) {
    const value = decoded[name] ?? null
    cells[name] = (primary === "sqlite" ? value : encodeValue(column.kind, value, "sqlite")) as SqliteCell
  }
  return cells
}

export const repair = (
  input: Partial<RepairOptions> = {}
): Effect.Effect<
  RepairReport,
  VerifyError | MalformedReject | ConfigError.ConfigError,
  SqliteDatabase | PostgresDatabase
> =>
  Effect.gen(function* () {
    const options = yield* resolveRepairOptions(input)
    const { primary, dryRun } = options
    const other = otherBackend(primary)
    const rejects = options.rejectsPath === undefined ? noRejects : yield* readRejects(options.rejectsPath)
    const db = yield* databases

    const shadowBefore = yield* repairShadowBefore(db, primary, dryRun).pipe(
      Effect.catchAllCause((cause) =>
        Effect.succeed<ShadowRepairReport>({
          from: primary,
          to: other,
          pendingBefore: 0,
          applied: 0,
          deadLettered: 0,
          pendingAfter: 0,
          deadLettersBefore: 0,
          replayed: 0,
          deadLettersAfter: 0,
          failures: [],
          superseded: 0,
          stoppedBy: `could not run: ${describeCause(cause)}`
        })
      )
    )

    const fts = yield* repairFts(db, dryRun).pipe(
      Effect.catchAllCause((cause) =>
        Effect.succeed({ problems: [`FTS repair could not run: ${describeCause(cause)}`], repaired: false })
      )
    )

    const tableReports: Array<TableRepairReport> = []
    const unrepairable: Array<UnrepairableRow> = []
    const newRejects: Array<RejectRecord> = []
    for (const table of tables) {
      const outcome = yield* Effect.either(repairTable(db, table, options))
      if (outcome._tag === "Left") {
        tableReports.push({
          table: table.name,
          copied: 0,
          deleted: 0,
          extra: 0,
          unrepairable: 0,
          knownRejects: 0,
          vanished: 0,
          copiedKeys: [],
          deletedKeys: [],
          extraKeys: [],
          error: describeError(outcome.left)
        })
        continue
      }
      const known = outcome.right.unrepairable.filter((r) => rejects.has(r.table, r.key))
      const fresh = outcome.right.unrepairable.filter((r) => !rejects.has(r.table, r.key))
      tableReports.push({
        ...outcome.right.report,
        unrepairable: outcome.right.report.unrepairable - known.length,
        knownRejects: known.length
      })
      for (const r of fresh) {
        if (unrepairable.length < reportedUnrepairable)
          unrepairable.push({ table: r.table, key: r.key, reason: r.reason })
        newRejects.push({
          table: table.name,
          key: r.key,
          kind: /foreign key/i.test(r.reason) ? "orphan" : other,
          reason: r.reason,
          row: rejectRow(table, r.row, primary)
        })
      }
    }

    const rejectsRecorded =
      options.rejectsPath === undefined || dryRun || newRejects.length === 0
        ? undefined
        : { file: yield* appendRejects(options.rejectsPath, newRejects), count: newRejects.length }

    // Every row the primary has is now on the other side too (no table failed, none refused a row): the dead
    // letters left would only have changed rows that are now equal to the primary's.
    const everyRowCopied = tableReports.every((t) => t.error === undefined && t.unrepairable === 0)
    const shadow =
      !dryRun && everyRowCopied && shadowBefore.deadLettersAfter > 0 && shadowBefore.stoppedBy === undefined
        ? yield* removeSupersededDeadLetters(db, primary, shadowBefore).pipe(
            Effect.catchAllCause((cause) =>
              Effect.succeed({ ...shadowBefore, stoppedBy: `dead letters not removed: ${describeCause(cause)}` })
            )
          )
        : shadowBefore

    const tallies = yield* repairTallies(db, dryRun).pipe(
      Effect.catchAllCause((cause) =>
        Effect.succeed<TallyRepairReport>({ drifted: 0, recounted: [], error: describeCause(cause) })
      )
    )

    const after = yield* verify(options)
    return {
      ok: after.ok,
      primary,
      other,
      dryRun,
      shadow,
      fts,
      tables: tableReports,
      tallies,
      unrepairable,
      rejectsRecorded,
      verify: after
    }
  })
