/**
 * The rejects file: every row a load did not write, one JSON object a line (`table`, `key`, `reason`, the
 * offending `column` and `value` when one cell is the cause, and the whole `row` in the export cell encoding), so
 * no row disappears without a trace. It describes the last run: records go to `<path>.partial` as they happen and
 * replace `<path>` when the run completes; a complete run without rejects removes a stale `<path>`.
 */
import { Effect, Exit } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import type { Table } from "../../runtime/domain/Tables.js"
import { encodeCell } from "./CellEncoding.js"
import type { SqliteCell } from "./ConversionRules.js"
import { causeMessage, OutputError } from "./DataErrors.js"
import type { SourceRow } from "./SqliteSource.js"

export type RejectKind = "mismatch" | "orphan" | "postgres"

export interface Reject {
  readonly kind: RejectKind
  readonly row: SourceRow
  readonly reason: string
  readonly column?: string
  readonly value?: SqliteCell
}

export interface RejectsSink {
  /** Where the rejects of this run end up. */
  readonly path: string
  readonly write: (table: Table, rejects: ReadonlyArray<Reject>) => Effect.Effect<void, OutputError>
  readonly count: () => number
}

/** The row as an object, so a reject can be read on its own. */
const rowJson = (table: Table, row: SourceRow): string =>
  `{${Object.keys(table.columns)
    .map((name, i) => `${JSON.stringify(name)}:${encodeCell(row[i] ?? null)}`)
    .join(",")}}`

/** The JSON line of one reject. */
export const rejectLine = (table: Table, reject: Reject): string => {
  const key = reject.row[Object.keys(table.columns).indexOf(table.primaryKey)] ?? null
  const parts = [
    `"table":${JSON.stringify(table.name)}`,
    `"key":${typeof key === "string" ? JSON.stringify(key) : JSON.stringify(String(key))}`,
    `"kind":${JSON.stringify(reject.kind)}`,
    `"reason":${JSON.stringify(reject.reason)}`
  ]
  if (reject.column !== undefined) parts.push(`"column":${JSON.stringify(reject.column)}`)
  if (reject.value !== undefined) parts.push(`"value":${encodeCell(reject.value)}`)
  parts.push(`"row":${rowJson(table, reject.row)}`)
  return `{${parts.join(",")}}\n`
}

/** A sink for the scope: finalised (renamed or cleaned up) only when the scope closes after success. */
export const rejectsFile = (file: string) =>
  Effect.gen(function* () {
    const partial = `${file}.partial`
    const fail = (cause: unknown) =>
      new OutputError({ path: file, message: `cannot write the rejects file ${file}: ${causeMessage(cause)}`, cause })
    let fd: number | undefined
    let count = 0
    // Fail before loading anything when the location is unusable, not after the first rejected row.
    yield* Effect.try({
      try: () => {
        fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
        fs.rmSync(partial, { force: true })
        fs.accessSync(path.dirname(path.resolve(file)), fs.constants.W_OK)
      },
      catch: fail
    })
    yield* Effect.addFinalizer((exit) =>
      Effect.sync(() => {
        if (fd !== undefined) fs.closeSync(fd)
        if (Exit.isFailure(exit)) return
        try {
          if (count > 0) fs.renameSync(partial, file)
          else fs.rmSync(file, { force: true })
        } catch {
          // The records stay in the .partial file; the summary names the path they were meant for.
        }
      })
    )
    const sink: RejectsSink = {
      path: file,
      count: () => count,
      write: (table, rejects) =>
        rejects.length === 0
          ? Effect.void
          : Effect.try({
              try: () => {
                fd ??= fs.openSync(partial, "w")
                fs.writeSync(fd, rejects.map((r) => rejectLine(table, r)).join(""))
                count += rejects.length
              },
              catch: fail
            })
    }
    return sink
  })
