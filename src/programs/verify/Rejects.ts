/**
 * Recorded rejects: rows the copy/import (or a repair) could not load, one `RejectRecord` a line (JSON Lines).
 * Verify lists them as known, explained differences instead of hiding them or failing on them; repair appends the
 * rows it cannot copy so the list stays complete.
 */
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { decodeRejectLine, encodeRejectLine, type MalformedReject, type RejectRecord } from "../data/RejectRecord.js"
import { defaultRejectsFile } from "../data/RejectsFile.js"
import { VerifyError } from "./VerifyError.js"

export interface RecordedReject {
  readonly table: string
  readonly key: string
  readonly reason: string
}

export interface RecordedRejects {
  readonly files: ReadonlyArray<string>
  readonly entries: ReadonlyArray<RecordedReject>
  readonly has: (table: string, key: string) => boolean
  readonly reasonOf: (table: string, key: string) => string | undefined
}

const keyOf = (table: string, key: string) => `${table}\u0000${key}`

export const makeRejects = (files: ReadonlyArray<string>, entries: ReadonlyArray<RecordedReject>): RecordedRejects => {
  const byKey = new Map(entries.map((e) => [keyOf(e.table, e.key), e.reason]))
  return {
    files,
    entries,
    has: (table, key) => byKey.has(keyOf(table, key)),
    reasonOf: (table, key) => byKey.get(keyOf(table, key))
  }
}

export const noRejects: RecordedRejects = makeRejects([], [])

/**
 * Where the recorded rejects are: the location given, else the file a copy or import writes by default, when it
 * exists in the working directory. A plain `copy` then `verify` (or `repair`) in the same directory thus accounts
 * for the rows the copy has just recorded; without that file there are none to read (no file is an error only
 * when it was named). A copy that completes without rejects removes the file, so what is found is the last run's.
 */
export const rejectsLocation = (given: string | undefined): string | undefined =>
  given ?? (fs.existsSync(defaultRejectsFile) ? defaultRejectsFile : undefined)

/** The reject files at `location`: the file itself, or every `*.jsonl` file of a directory. */
const rejectFiles = (location: string): ReadonlyArray<string> => {
  const stat = fs.statSync(location)
  if (!stat.isDirectory()) return [location]
  return fs
    .readdirSync(location)
    .filter((name) => name.endsWith(".jsonl"))
    .sort()
    .map((name) => path.join(location, name))
}

const readError = (location: string) => (cause: unknown) =>
  new VerifyError({
    message: `cannot read rejects at ${location}: ${cause instanceof Error ? cause.message : String(cause)}`,
    cause
  })

/**
 * Reads the recorded rejects at a file or directory. A location that does not exist is an error, not "none"; so
 * is a line that is not a reject record (a wrong file, a truncated write), since skipping it would turn its row
 * into an unexplained difference with nothing to say why.
 */
export const readRejects = (location: string): Effect.Effect<RecordedRejects, VerifyError | MalformedReject> =>
  Effect.gen(function* () {
    const files = yield* Effect.try({ try: () => rejectFiles(location), catch: readError(location) })
    const entries: Array<RecordedReject> = []
    for (const file of files) {
      const lines = (yield* Effect.try({ try: () => fs.readFileSync(file, "utf8"), catch: readError(file) })).split(
        "\n"
      )
      for (const [i, line] of lines.entries()) {
        if (line.trim() === "") continue
        const { table, key, reason } = yield* decodeRejectLine(file, i + 1, line)
        entries.push({ table, key, reason })
      }
    }
    return makeRejects(files, entries)
  })

/** The file repair appends to: the given file, or `repair-rejects.jsonl` in the given directory. */
export const rejectsOutputFile = (location: string): string =>
  fs.existsSync(location) && fs.statSync(location).isDirectory()
    ? path.join(location, "repair-rejects.jsonl")
    : location

/** Appends reject records as JSON Lines, creating the file (and its directory) if needed. */
export const appendRejects = (
  location: string,
  records: ReadonlyArray<RejectRecord>
): Effect.Effect<string, VerifyError> =>
  Effect.try({
    try: () => {
      const file = rejectsOutputFile(location)
      if (records.length > 0) {
        fs.mkdirSync(path.dirname(file), { recursive: true })
        fs.appendFileSync(file, records.map((r) => `${encodeRejectLine(r)}\n`).join(""))
      }
      return file
    },
    catch: (cause) =>
      new VerifyError({
        message: `cannot write rejects to ${location}: ${cause instanceof Error ? cause.message : String(cause)}`,
        cause
      })
  })
