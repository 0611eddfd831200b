/**
 * `export`: every table of the SQLite source to `<table>.jsonl`, streamed page by page (memory holds one page),
 * hashed as it is written, then `_metadata.json`. Files go to `<out>.partial` and the directory is renamed into
 * place only when complete, so `<out>` is always either a whole export or absent.
 */
import { Effect, Exit } from "effect"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import type { Table } from "../../runtime/domain/Tables.js"
import { rowEncoder } from "./CellEncoding.js"
import { causeMessage, OutputError, SourceError } from "./DataErrors.js"
import {
  type ExportedTable,
  exportFormatName,
  exportFormatVersion,
  type ExportMetadata,
  fileNameOf,
  metadataFileName
} from "./ExportFormat.js"
import { makeDirectory, probeFolderOf } from "../../runtime/files/OutputLocation.js"
import { yieldToEventLoop } from "./PageReader.js"
import { tableProgress } from "./Progress.js"
import type { SchemaForm } from "./SchemaForm.js"
import { SqliteSource, sourceWarnings } from "./SqliteSource.js"
import { selectTables } from "./TableSelection.js"

export interface ExportOptions {
  /** The export directory (default `migration-data`). */
  readonly outDir?: string | undefined
  /** Replace an existing export in `outDir`; without it an existing non-empty directory is an error. */
  readonly force?: boolean | undefined
  readonly tables?: ReadonlyArray<string> | undefined
  /** Rows read from SQLite at a time. */
  readonly pageRows?: number | undefined
}

export interface ExportSummary {
  readonly outDir: string
  readonly source: string
  readonly schemaForm: SchemaForm
  readonly snapshot: boolean
  readonly exportedAt: string
  readonly tables: ReadonlyArray<ExportedTable & { readonly seconds: number }>
  readonly warnings: ReadonlyArray<string>
  readonly seconds: number
}

export const defaultExportDir = "migration-data"

const isNonEmptyDirectory = (dir: string) => {
  if (!fs.existsSync(dir)) return false
  if (!fs.statSync(dir).isDirectory()) return true
  return fs.readdirSync(dir).length > 0
}

/**
 * Fails unless an export can be written to `outDir`: not an existing export (unless `force`), and its folder takes
 * the `<out>.partial` directory that is renamed into place (tried for real, nothing left behind). The CLI checks
 * it before it opens the SQLite file.
 */
export const checkExportTarget = (outDir: string, force: boolean): Effect.Effect<void, OutputError> =>
  Effect.gen(function* () {
    const out = path.resolve(outDir)
    if (!force && isNonEmptyDirectory(out)) {
      return yield* new OutputError({
        path: out,
        message: `${out} already exists and is not empty: choose another --out or pass --force to replace it`
      })
    }
    yield* Effect.try({
      try: () => probeFolderOf(`${out}.partial`),
      catch: (cause) =>
        new OutputError({ path: out, message: `cannot write the export to ${out}: ${causeMessage(cause)}`, cause })
    })
  })

export const exportData = (options: ExportOptions = {}) =>
  Effect.gen(function* () {
    const started = performance.now()
    const outDir = path.resolve(options.outDir ?? defaultExportDir)
    const partialDir = `${outDir}.partial`
    const fail = (what: string) => (cause: unknown) =>
      new OutputError({ path: outDir, message: `${what}: ${causeMessage(cause)}`, cause })
    const selected = yield* selectTables(options.tables)
    const source = yield* SqliteSource

    yield* checkExportTarget(outDir, options.force ?? false)
    yield* Effect.try({
      try: () => {
        fs.rmSync(partialDir, { recursive: true, force: true })
        makeDirectory(partialDir)
      },
      catch: fail(`cannot create ${partialDir}`)
    })

    const exportedAt = new Date().toISOString()
    const tables: Array<ExportedTable & { seconds: number }> = []
    yield* Effect.gen(function* () {
      for (const table of selected) {
        tables.push(yield* exportTable(source, table, partialDir, options.pageRows ?? 500))
      }
      const metadata: ExportMetadata = {
        format: exportFormatName,
        version: exportFormatVersion,
        exportedAt,
        source: { path: source.path, schemaForm: source.form, snapshot: source.snapshot },
        tables: tables.map(({ seconds: _, ...table }) => table)
      }
      yield* Effect.try({
        try: () => {
          fs.writeFileSync(path.join(partialDir, metadataFileName), JSON.stringify(metadata, null, 2) + "\n")
          fs.rmSync(outDir, { recursive: true, force: true })
          fs.renameSync(partialDir, outDir)
        },
        catch: fail(`cannot complete the export in ${outDir}`)
      })
    }).pipe(
      // A failed or interrupted export leaves no partial directory behind.
      Effect.onExit((exit) =>
        Exit.isFailure(exit) ? Effect.sync(() => fs.rmSync(partialDir, { recursive: true, force: true })) : Effect.void
      )
    )
    const summary: ExportSummary = {
      outDir,
      source: source.path,
      schemaForm: source.form,
      snapshot: source.snapshot,
      exportedAt,
      tables,
      warnings: sourceWarnings(
        source,
        selected.map((t) => t.name)
      ),
      seconds: (performance.now() - started) / 1000
    }
    return summary
  })

const writeAll = (fd: number, chunk: Buffer) => {
  for (let done = 0; done < chunk.length;) done += fs.writeSync(fd, chunk, done)
}

/** Lines accumulate in one reused buffer, written (and hashed) whenever it holds about a megabyte. */
const fileWriter = (fd: number) => {
  const hash = createHash("sha256")
  let buffer = Buffer.allocUnsafe(2 << 20)
  let end = 0
  let bytes = 0
  const flush = () => {
    if (end === 0) return
    const chunk = buffer.subarray(0, end)
    hash.update(chunk)
    writeAll(fd, chunk)
    bytes += end
    end = 0
  }
  return {
    line: (text: string) => {
      // At most 3 UTF-8 bytes per UTF-16 unit, plus the newline.
      const room = text.length * 3 + 1
      if (end + room > buffer.length) {
        flush()
        if (room > buffer.length) buffer = Buffer.allocUnsafe(room)
      }
      end += buffer.write(text, end, "utf8")
      buffer[end++] = 10
      if (end >= 1 << 20) flush()
    },
    finish: () => {
      flush()
      return { bytes, sha256: hash.digest("hex") }
    }
  }
}

const exportTable = (source: typeof SqliteSource.Service, table: Table, dir: string, pageRows: number) =>
  Effect.gen(function* () {
    const started = performance.now()
    const names = Object.keys(table.columns)
    const { present } = source.columns(table.name)
    const encode = rowEncoder(present.map((name) => names.indexOf(name)))
    const progress = yield* tableProgress(table.name, yield* source.count(table.name))
    const file = fileNameOf(table.name)
    const target = path.join(dir, file)
    const fail = (cause: unknown) =>
      new OutputError({ path: target, message: `cannot write ${target}: ${causeMessage(cause)}`, cause })
    let rows = 0
    const written = yield* Effect.acquireUseRelease(
      Effect.try({ try: () => fs.openSync(target, "w"), catch: fail }),
      (fd) =>
        Effect.gen(function* () {
          const writer = fileWriter(fd)
          const reader = source.reader(table, pageRows)
          // Read and written in one synchronous step, so no page outlives it (see PageReader.ts).
          const step = Effect.try({
            try: () => {
              const page = reader.next()
              for (const row of page) writer.line(encode(row))
              return page.length
            },
            catch: (cause) => (cause instanceof SourceError ? cause : fail(cause))
          })
          for (;;) {
            const read = yield* step
            rows += read
            yield* progress.advance(read)
            yield* yieldToEventLoop
            if (read < pageRows) break
          }
          return yield* Effect.try({ try: writer.finish, catch: fail })
        }),
      (fd) => Effect.sync(() => fs.closeSync(fd))
    )
    yield* progress.done
    return {
      name: table.name,
      file,
      rows,
      bytes: written.bytes,
      sha256: written.sha256,
      columns: present,
      seconds: (performance.now() - started) / 1000
    }
  })
