/**
 * The rejects file: every row a load did not write, one `RejectRecord` a line (JSON Lines), so no row
 * disappears without a trace. It describes the last run: records go to `<path>.partial` as they happen and
 * replace `<path>` when the run completes; a complete run without rejects removes a stale `<path>`.
 */
import { Effect, Exit } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import type { Table } from "../../runtime/domain/Tables.js"
import type { SqliteCell } from "./ConversionRules.js"
import { causeMessage, OutputError } from "./DataErrors.js"
import { makeDirectory, probeFolderOf } from "../../runtime/files/OutputLocation.js"
import { encodeRejectLine, type RejectKind as RecordKind, type RejectRecord } from "./RejectRecord.js"
import type { SourceRow } from "./SqliteSource.js"

/**
 * Where copy and import write their rejects unless told otherwise, relative to the working directory; verify and
 * repair read the file from there when they are not told where it is (Rejects.rejectsLocation).
 */
export const defaultRejectsFile = "migration-rejects.jsonl"

/** What a load rejects for; a load's refusals come from PostgreSQL (repair records the side it repaired). */
export type RejectKind = Exclude<RecordKind, "sqlite">

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

/** The record of one reject: the row as an object keyed by column, so a reject can be read on its own. */
export const rejectRecord = (table: Table, reject: Reject): RejectRecord => {
  const names = Object.keys(table.columns)
  const key = reject.row[names.indexOf(table.primaryKey)] ?? null
  return {
    table: table.name,
    key: typeof key === "string" ? key : String(key),
    kind: reject.kind,
    reason: reject.reason,
    column: reject.column,
    value: reject.value,
    row: Object.fromEntries(names.map((name, i) => [name, reject.row[i] ?? null]))
  }
}

/** The JSON line of one reject. */
export const rejectLine = (table: Table, reject: Reject): string => `${encodeRejectLine(rejectRecord(table, reject))}\n`

const rejectsFileError = (file: string) => (cause: unknown) =>
  new OutputError({
    path: file,
    message: `cannot write the rejects file ${path.resolve(file)}: ${causeMessage(cause)}`,
    cause
  })

/**
 * Fails unless the rejects file can be written at `file` (its folder made, a file created there, replaced by a
 * rename), trying it for real and leaving nothing behind: commands check it before they open any database, so an
 * unusable location stops them with nothing done.
 */
export const checkRejectsFile = (file: string): Effect.Effect<void, OutputError> =>
  Effect.try({
    try: () => {
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new Error("it is a directory")
      probeFolderOf(file)
    },
    catch: rejectsFileError(file)
  })

/** A sink for the scope: finalised (renamed or cleaned up) only when the scope closes after success. */
export const rejectsFile = (file: string) =>
  Effect.gen(function* () {
    const partial = `${file}.partial`
    const fail = rejectsFileError(file)
    let fd: number | undefined
    let count = 0
    // Fail before loading anything when the location is unusable, not after the first rejected row.
    yield* checkRejectsFile(file)
    yield* Effect.try({
      try: () => {
        makeDirectory(path.dirname(path.resolve(file)))
        fs.rmSync(partial, { force: true })
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
