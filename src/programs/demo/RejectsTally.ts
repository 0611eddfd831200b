/** The rejects file of a load, counted by kind and by table, to explain what verify will find missing. */
import { Effect } from "effect"
import * as fs from "node:fs"
import type { TableName } from "../../runtime/domain/Tables.js"

export interface RejectsTally {
  readonly total: number
  readonly byKind: Readonly<Record<string, number>>
  readonly byTable: Partial<Record<TableName, number>>
}

export const emptyTally: RejectsTally = { total: 0, byKind: {}, byTable: {} }

const parse = (line: string): { readonly table?: TableName; readonly kind?: string } => {
  try {
    return JSON.parse(line) as { readonly table?: TableName; readonly kind?: string }
  } catch {
    return {}
  }
}

/** Counts the records of a JSON Lines rejects file; a file that is not there holds none. */
export const tallyRejects = (file: string): Effect.Effect<RejectsTally> =>
  Effect.sync(() => {
    if (!fs.existsSync(file)) return emptyTally
    const byKind: Record<string, number> = {}
    const byTable: Partial<Record<TableName, number>> = {}
    let total = 0
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
      if (line.trim() === "") continue
      const record = parse(line)
      const kind = record.kind ?? "unreadable record"
      byKind[kind] = (byKind[kind] ?? 0) + 1
      if (record.table !== undefined) byTable[record.table] = (byTable[record.table] ?? 0) + 1
      total++
    }
    return { total, byKind, byTable }
  })
