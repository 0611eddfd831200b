/** The rejects file of a load, counted by kind and by table, to explain what verify will find missing. */
import { Effect, Either } from "effect"
import * as fs from "node:fs"
import type { TableName } from "../../runtime/domain/Tables.js"
import { decodeRejectLine } from "../data/RejectRecord.js"

export interface RejectsTally {
  readonly total: number
  readonly byKind: Readonly<Record<string, number>>
  readonly byTable: Partial<Record<TableName, number>>
}

export const emptyTally: RejectsTally = { total: 0, byKind: {}, byTable: {} }

/**
 * Counts the records of a JSON Lines rejects file; a file that is not there holds none. A line that is not a
 * record is counted as unreadable rather than failing: the demo reports, and verify judges the file.
 */
export const tallyRejects = (file: string): Effect.Effect<RejectsTally> =>
  Effect.gen(function* () {
    if (!fs.existsSync(file)) return emptyTally
    const byKind: Record<string, number> = {}
    const byTable: Partial<Record<TableName, number>> = {}
    let total = 0
    for (const [i, line] of fs.readFileSync(file, "utf8").split("\n").entries()) {
      if (line.trim() === "") continue
      const record = Either.getOrUndefined(yield* Effect.either(decodeRejectLine(file, i + 1, line)))
      const kind = record?.kind ?? "unreadable record"
      byKind[kind] = (byKind[kind] ?? 0) + 1
      if (record !== undefined) byTable[record.table] = (byTable[record.table] ?? 0) + 1
      total++
    }
    return { total, byKind, byTable }
  })
