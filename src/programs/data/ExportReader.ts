/**
 * Reading an export back: `verifyExport` checks the whole directory against its metadata (format, known tables and
 * columns, every file's size, line count and SHA-256) before anything is loaded, so a missing, truncated or edited
 * file stops the import with nothing written; `exportReader` then reads a file's rows in pages.
 */
import { Effect, Either, ParseResult, Schema, type Scope } from "effect"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { type Table, tableByName, tables } from "../../runtime/domain/Tables.js"
import { decodeCell } from "./CellEncoding.js"
import { causeMessage, ExportInvalid } from "./DataErrors.js"
import { type ExportedTable, ExportMetadata, fileNameOf, metadataFileName } from "./ExportFormat.js"
import type { PageReader } from "./PageReader.js"
import type { SourceRow } from "./SqliteSource.js"

export interface VerifiedExport {
  readonly dir: string
  readonly metadata: ExportMetadata
  /** The tables to load, parents first, each with its registry entry. */
  readonly tables: ReadonlyArray<{ readonly table: Table; readonly entry: ExportedTable }>
}

// Small enough that a few tables reading at once stay far from the memory budget, large enough to read fast.
const CHUNK = 1 << 18

/** Size, newline count and SHA-256 of a file, read in chunks. */
const fingerprint = (file: string) => {
  const fd = fs.openSync(file, "r")
  try {
    const hash = createHash("sha256")
    const buffer = Buffer.allocUnsafe(CHUNK)
    let bytes = 0
    let lines = 0
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, CHUNK, null)
      if (n === 0) break
      const chunk = buffer.subarray(0, n)
      hash.update(chunk)
      bytes += n
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++
    }
    return { bytes, lines, sha256: hash.digest("hex") }
  } finally {
    fs.closeSync(fd)
  }
}

export const verifyExport = (
  inDir: string,
  only?: ReadonlyArray<string>
): Effect.Effect<VerifiedExport, ExportInvalid> =>
  Effect.gen(function* () {
    const dir = path.resolve(inDir)
    const invalid = (message: string, cause?: unknown) =>
      new ExportInvalid({ path: dir, message: `invalid export ${dir}: ${message}`, cause })
    const metadataFile = path.join(dir, metadataFileName)
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      return yield* new ExportInvalid({ path: dir, message: `no export directory at ${dir}` })
    }
    if (!fs.existsSync(metadataFile)) return yield* invalid(`${metadataFileName} is missing`)
    const json = yield* Effect.try({
      try: (): unknown => JSON.parse(fs.readFileSync(metadataFile, "utf8")),
      catch: (cause) => invalid(`${metadataFileName} is not JSON: ${causeMessage(cause)}`, cause)
    })
    const decoded = Schema.decodeUnknownEither(ExportMetadata)(json)
    if (Either.isLeft(decoded)) {
      return yield* invalid(
        `${metadataFileName} does not describe an omega-db export: ${ParseResult.TreeFormatter.formatErrorSync(decoded.left)}`
      )
    }
    const metadata = decoded.right

    const entries: Array<{ table: Table; entry: ExportedTable }> = []
    const seen = new Set<string>()
    for (const entry of metadata.tables) {
      const table = tableByName(entry.name)
      if (table === undefined) return yield* invalid(`unknown table "${entry.name}" in ${metadataFileName}`)
      if (seen.has(entry.name)) return yield* invalid(`table ${entry.name} is listed twice`)
      seen.add(entry.name)
      if (entry.file !== fileNameOf(entry.name)) {
        return yield* invalid(`table ${entry.name} must be in ${fileNameOf(entry.name)}, not ${entry.file}`)
      }
      const unknown = entry.columns.filter((c) => table.columns[c] === undefined)
      if (unknown.length > 0) return yield* invalid(`table ${entry.name} has unknown columns ${unknown.join(", ")}`)
      const lacking = Object.entries(table.columns)
        .filter(([name, column]) => !column.late && !entry.columns.includes(name))
        .map(([name]) => name)
      if (lacking.length > 0) return yield* invalid(`table ${entry.name} lacks columns ${lacking.join(", ")}`)
      entries.push({ table, entry })
    }
    for (const name of only ?? []) {
      if (!seen.has(name)) {
        return yield* tableByName(name) === undefined
          ? invalid(`unknown table "${name}"`)
          : invalid(`it has no table ${name}`)
      }
    }
    const selected = entries.filter((e) => only === undefined || only.length === 0 || only.includes(e.table.name))

    for (const { entry } of selected) {
      const file = path.join(dir, entry.file)
      if (!fs.existsSync(file)) return yield* invalid(`${entry.file} is missing`)
      const actual = yield* Effect.try({
        try: () => fingerprint(file),
        catch: (cause) => invalid(`cannot read ${entry.file}: ${causeMessage(cause)}`, cause)
      })
      if (actual.bytes !== entry.bytes || actual.lines !== entry.rows || actual.sha256 !== entry.sha256) {
        return yield* invalid(
          `${entry.file} does not match ${metadataFileName} (expected ${entry.rows} rows, ${entry.bytes} bytes, ` +
            `sha256 ${entry.sha256.slice(0, 12)}…; found ${actual.lines} rows, ${actual.bytes} bytes, ` +
            `sha256 ${actual.sha256.slice(0, 12)}…): the file is truncated, edited or from another export`
        )
      }
    }
    // Registry order, so parents always come before their children whatever the metadata says.
    const ordered = selected.sort((a, b) => registryIndex(a.table) - registryIndex(b.table))
    return { dir, metadata, tables: ordered }
  })

const registryIndex = (table: Table) => tables.indexOf(table)

interface ReaderState {
  readonly fd: number
  readonly buffer: Buffer
  /** Bytes of a line that began in an earlier chunk. */
  carry: Buffer
  start: number
  end: number
  eof: boolean
  line: number
}

/** A reader of one verified table file, in pages of `pageRows`, cells in registry order; closed with the scope. */
export const exportReader = (
  dir: string,
  table: Table,
  entry: ExportedTable,
  pageRows: number
): Effect.Effect<PageReader, ExportInvalid, Scope.Scope> => {
  const file = path.join(dir, entry.file)
  const names = Object.keys(table.columns)
  // Cell i of a line belongs to registry column positions[i].
  const positions = entry.columns.map((name) => names.indexOf(name))
  const invalid = (message: string, cause?: unknown) =>
    new ExportInvalid({ path: file, message: `${file}: ${message}`, cause })

  const parseLine = (text: string, lineNumber: number): SourceRow => {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (cause) {
      throw invalid(`line ${lineNumber} is not JSON`, cause)
    }
    if (!Array.isArray(parsed) || parsed.length !== positions.length) {
      throw invalid(`line ${lineNumber} is not an array of ${positions.length} cells`)
    }
    const row: Array<SourceRow[number]> = Array.from({ length: names.length }, () => null)
    for (let i = 0; i < positions.length; i++) {
      const cell = decodeCell(parsed[i])
      if (cell === undefined) throw invalid(`line ${lineNumber}, column ${entry.columns[i]}: not a SQLite value`)
      row[positions[i]!] = cell
    }
    return row
  }

  const readPage = (state: ReaderState): ReadonlyArray<SourceRow> => {
    const rows: Array<SourceRow> = []
    while (rows.length < pageRows) {
      const newline = state.start < state.end ? state.buffer.indexOf(10, state.start) : -1
      if (newline !== -1 && newline < state.end) {
        const text =
          state.carry.length === 0
            ? state.buffer.toString("utf8", state.start, newline)
            : Buffer.concat([state.carry, state.buffer.subarray(state.start, newline)]).toString("utf8")
        state.carry = Buffer.alloc(0)
        state.start = newline + 1
        rows.push(parseLine(text, ++state.line))
        continue
      }
      if (state.eof) {
        if (state.carry.length > 0) throw invalid(`the last line is not terminated`)
        break
      }
      // The rest of the chunk is the beginning of a line: keep a copy, the chunk is reused.
      if (state.end > state.start) {
        state.carry = Buffer.concat([state.carry, state.buffer.subarray(state.start, state.end)])
      }
      const n = fs.readSync(state.fd, state.buffer, 0, state.buffer.length, null)
      state.start = 0
      state.end = n
      if (n === 0) state.eof = true
    }
    return rows
  }

  return Effect.acquireRelease(
    Effect.try({
      try: (): ReaderState => ({
        fd: fs.openSync(file, "r"),
        buffer: Buffer.allocUnsafe(CHUNK),
        carry: Buffer.alloc(0),
        start: 0,
        end: 0,
        eof: false,
        line: 0
      }),
      catch: (cause) => invalid(`cannot open: ${causeMessage(cause)}`, cause)
    }),
    (state) => Effect.sync(() => fs.closeSync(state.fd))
  ).pipe(
    Effect.map((state): PageReader => ({
      pageRows,
      next: () => {
        try {
          return readPage(state)
        } catch (cause) {
          throw cause instanceof ExportInvalid ? cause : invalid(causeMessage(cause), cause)
        }
      }
    }))
  )
}
