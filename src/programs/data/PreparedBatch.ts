/**
 * Source rows turned into what PostgreSQL will read: each row converted by the rules of its columns' kinds and
 * encoded as a COPY line, or set aside as a mismatch with every offending column named. A builder takes pages as
 * they are read and hands out a batch once it is full, so reading and converting happen in small steps while
 * PostgreSQL loads the previous batch. The COPY text goes into one Buffer with row offsets (any run of rows can
 * be resent on its own), and buffers are reused. Source rows are not kept: a row that has to be reported later
 * (an orphan, a row PostgreSQL refuses) is restored from its COPY text, which holds every value unchanged except
 * in the few rows a rule changed, whose originals are kept. So a batch leaves little garbage and memory stays low.
 */
import type { Table } from "../../runtime/domain/Tables.js"
import { type ConversionCounts, conversionRules, Mismatch, restoreCell, type SqliteCell } from "./ConversionRules.js"
import { copyField, parseCopyLine } from "./CopyText.js"
import type { Reject } from "./RejectsFile.js"
import type { SourceRow } from "./SqliteSource.js"

export interface PreparedBatch {
  /** Rows read from the source. */
  readonly read: number
  /** Rows that converted (and are sent); row i is `payload[offsets[i], offsets[i + 1])`. */
  readonly size: number
  /** The source row of converted row i. */
  readonly row: (i: number) => SourceRow
  /** The primary key of converted row i. */
  readonly key: (i: number) => string
  readonly payload: Buffer
  readonly offsets: Uint32Array
  /** Rows that did not convert: never sent. */
  readonly rejects: ReadonlyArray<Reject>
  readonly sanitized: number
  readonly invalidJson: number
  /** Gives the payload's memory back for a later batch; call once the batch is written. */
  readonly release: () => void
}

/** The COPY text of rows [from, to). */
export const payloadOf = (batch: PreparedBatch, from: number, to: number): Buffer =>
  batch.payload.subarray(batch.offsets[from], batch.offsets[to])

export interface BatchBuilder {
  /** Converts and appends rows to the current batch. */
  readonly add: (rows: ReadonlyArray<SourceRow>) => void
  /** Rows read into the current batch so far. */
  readonly size: () => number
  /** The current batch; the builder starts a new one. */
  readonly take: () => PreparedBatch
}

/** A builder of one table's batches. */
export const batchBuilder = (table: Table): BatchBuilder => {
  const names = Object.keys(table.columns)
  const converters = names.map((name) => conversionRules[table.columns[name]!.kind].convert)
  const width = names.length
  const free: Array<Buffer> = []
  const counts: ConversionCounts = { sanitized: 0, invalidJson: 0 }
  const kinds = names.map((name) => table.columns[name]!.kind)
  const keyIndex = names.indexOf(table.primaryKey)
  let originals = new Map<number, SourceRow>()
  // Row ends, in a typed array reused from batch to batch: a growing JS array would be copied as it grows and
  // live as long as the batch, which makes the collector promote it to the old generation.
  let offsets = new Uint32Array(8192)
  let rowCount = 0
  let rejects: Array<Reject> = []
  let read = 0
  let payload: Buffer | undefined
  let end = 0

  const reserve = (bytes: number) => {
    payload ??= free.pop() ?? Buffer.allocUnsafe(Math.max(1 << 20, bytes))
    if (end + bytes <= payload.length) return payload
    const grown = Buffer.allocUnsafe(Math.max(payload.length * 2, end + bytes))
    payload.copy(grown, 0, 0, end)
    payload = grown
    return grown
  }

  const add = (source: ReadonlyArray<SourceRow>) => {
    read += source.length
    for (const row of source) {
      const sanitizedBefore = counts.sanitized
      const invalidJsonBefore = counts.invalidJson
      const rowStart = end
      let problems: Array<{ column: string; reason: string; value: SqliteCell }> | undefined
      // Fields are written straight into the payload: no per-row string is built and thrown away.
      for (let i = 0; i < width; i++) {
        let buffer = reserve(3)
        if (i > 0) buffer[end++] = 9
        const cell = row[i] ?? null
        if (cell === null) {
          buffer[end++] = 92
          buffer[end++] = 78
          continue
        }
        const value = converters[i]!(cell, counts)
        if (value instanceof Mismatch) {
          ;(problems ??= []).push({ column: names[i]!, reason: value.reason, value: cell })
          continue
        }
        const field = copyField(value)
        // A UTF-16 unit is at most 3 UTF-8 bytes: room is made first, a field is never written truncated.
        buffer = reserve(field.length * 3)
        end += buffer.write(field, end, "utf8")
      }
      if (problems === undefined) {
        reserve(1)[end++] = 10
        if (counts.sanitized !== sanitizedBefore || counts.invalidJson !== invalidJsonBefore) {
          originals.set(rowCount, row)
        }
        if (rowCount + 2 > offsets.length) {
          const grown = new Uint32Array(offsets.length * 2)
          grown.set(offsets)
          offsets = grown
        }
        offsets[++rowCount] = end
      } else {
        // The row is taken back out of the payload, and its values never count as sanitised.
        end = rowStart
        counts.sanitized = sanitizedBefore
        counts.invalidJson = invalidJsonBefore
        const first = problems[0]!
        rejects.push({
          kind: "mismatch",
          row,
          column: first.column,
          value: first.value,
          reason: `type mismatch: ${problems.map((p) => `${p.column} holds ${p.reason}`).join("; ")}`
        })
      }
    }
  }

  const take = (): PreparedBatch => {
    const buffer = payload ?? Buffer.alloc(0)
    const text = buffer.subarray(0, end)
    const rowOffsets = offsets.slice(0, rowCount + 1)
    const kept = originals
    const line = (i: number) => text.toString("utf8", rowOffsets[i], rowOffsets[i + 1]! - 1)
    const batch: PreparedBatch = {
      read,
      size: rowOffsets.length - 1,
      row: (i) => kept.get(i) ?? parseCopyLine(line(i)).map((field, c) => restoreCell(kinds[c]!, field)),
      key: (i) => {
        const original = kept.get(i)
        return original !== undefined ? String(original[keyIndex]) : parseCopyLine(line(i))[keyIndex]!
      },
      payload: text,
      offsets: rowOffsets,
      rejects,
      sanitized: counts.sanitized,
      invalidJson: counts.invalidJson,
      release: () => {
        if (buffer.length > 0 && !free.includes(buffer)) free.push(buffer)
      }
    }
    originals = new Map()
    rowCount = 0
    rejects = []
    read = 0
    counts.sanitized = 0
    counts.invalidJson = 0
    payload = undefined
    end = 0
    return batch
  }

  return { add, size: () => read, take }
}

/** Prepares one batch from `rows` at once (a builder used for a single page). */
export const batchPreparer = (table: Table) => {
  const builder = batchBuilder(table)
  return (rows: ReadonlyArray<SourceRow>): PreparedBatch => {
    builder.add(rows)
    return builder.take()
  }
}
