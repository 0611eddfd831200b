/**
 * Repair's tally step: on each database, the tables whose tallies differ from their rows (verify's tally check)
 * get them counted again from the rows, in one transaction that holds other writers off for the count. Runs
 * after the row copy, whose writes keep the tallies through the triggers; derived data, so both databases are
 * repaired, the primary too.
 */
import { Effect } from "effect"
import type { Backend } from "../../runtime/domain/Errors.js"
import { recountTallies } from "../../runtime/schema/CurrentSchema.js"
import type { Databases } from "../verify/Databases.js"
import { driftedTables, inspectTallies } from "../verify/checks/TallyCheck.js"

export interface TallyRepairReport {
  /** Tallies that differed from their rows before the step. */
  readonly drifted: number
  /** `backend: table` recounted (or, in a dry run, to recount). */
  readonly recounted: ReadonlyArray<string>
  /** Why the step could not run. */
  readonly error?: string | undefined
}

export const repairTallies = (db: Databases, dryRun: boolean) =>
  Effect.gen(function* () {
    const findings = yield* inspectTallies(db)
    const recounted: Array<string> = []
    for (const backend of ["sqlite", "postgres"] as const satisfies ReadonlyArray<Backend>) {
      for (const table of driftedTables(findings, backend)) {
        recounted.push(`${backend}: ${table}`)
        if (dryRun) continue
        const sql = db.client(backend)
        yield* sql.withTransaction(
          Effect.forEach(recountTallies(backend, table), (statement) => sql.unsafe(statement), { discard: true })
        )
      }
    }
    return { drifted: findings.drifts.length, recounted } satisfies TallyRepairReport
  })
