/**
 * Recorded rejects: rows the copy/import (or a repair) could not load, written as JSON Lines
 * (`{ table, key, reason, row }`). Verify lists them as known, explained differences instead of hiding them or
 * failing on them; repair appends the rows it cannot copy so the list stays complete.
 */
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { VerifyError } from "./VerifyError.js"

export interface RecordedReject {
  readonly table: string
  readonly key: string
  readonly reason: string
}

export interface RecordedRejects {
  readonly files: ReadonlyArray<string>
  readonly entries: ReadonlyArray<RecordedReject>
  /** Lines that were not a reject record (kept apart, never silently dropped). */
  readonly malformedLines: number
  readonly has: (table: string, key: string) => boolean
  readonly reasonOf: (table: string, key: string) => string | undefined
}

const keyOf = (table: string, key: string) => `${table}\u0000${key}`

export const makeRejects = (
  files: ReadonlyArray<string>,
  entries: ReadonlyArray<RecordedReject>,
  malformedLines = 0
): RecordedRejects => {
  const byKey = new Map(entries.map((e) => [keyOf(e.table, e.key), e.reason]))
  return {
    files,
    entries,
    malformedLines,
    has: (table, key) => byKey.has(keyOf(table, key)),
    reasonOf: (table, key) => byKey.get(keyOf(table, key))
  }
}

export const noRejects: RecordedRejects = makeRejects([], [])

const parseLine = (line: string): RecordedReject | undefined => {
  try {
    const value: unknown = JSON.parse(line)
    if (typeof value !== "object" || value === null) return undefined
    const record = value as Record<string, unknown>
    const key = record["key"] ?? record["id"]
    if (typeof record["table"] !== "string" || (typeof key !== "string" && typeof key !== "number")) return undefined
    return {
      table: record["table"],
      key: String(key),
      reason: typeof record["reason"] === "string" ? record["reason"] : "no reason recorded"
    }
  } catch {
    return undefined
  }
}

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

/** Reads the recorded rejects at a file or directory. A location that does not exist is an error, not "none". */
export const readRejects = (location: string): Effect.Effect<RecordedRejects, VerifyError> =>
  Effect.try({
    try: () => {
      const files = rejectFiles(location)
      const entries: Array<RecordedReject> = []
      let malformed = 0
      for (const file of files) {
        for (const line of fs.readFileSync(file, "utf8").split("\n")) {
          if (line.trim() === "") continue
          const entry = parseLine(line)
          if (entry === undefined) malformed++
          else entries.push(entry)
        }
      }
      return makeRejects(files, entries, malformed)
    },
    catch: (cause) =>
      new VerifyError({
        message: `cannot read rejects at ${location}: ${cause instanceof Error ? cause.message : String(cause)}`,
        cause
      })
  })

/** A reject as repair appends it, in the copy's format (`kind` as the copy names it: orphan, postgres, ...). */
export interface RejectRecord extends RecordedReject {
  readonly kind: string
  readonly row: unknown
}

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
        fs.appendFileSync(file, records.map((r) => `${JSON.stringify(r)}\n`).join(""))
      }
      return file
    },
    catch: (cause) =>
      new VerifyError({
        message: `cannot write rejects to ${location}: ${cause instanceof Error ? cause.message : String(cause)}`,
        cause
      })
  })
