/**
 * The export directory: one JSON Lines file per table (`<table>.jsonl`: one JSON array a line, a row's cells in the
 * order of the table's `columns` in the metadata, each in the encoding of CellEncoding.ts) and `_metadata.json`,
 * written last, which describes them. A file is only trusted when its size, line count and SHA-256 match.
 */
import { Schema } from "effect"

export const metadataFileName = "_metadata.json"
export const exportFormatName = "omega-db-export"
export const exportFormatVersion = 1

export const fileNameOf = (table: string) => `${table}.jsonl`

export const ExportedTable = Schema.Struct({
  /** Checked against the registry by the reader, so an unknown table gets its own message. */
  name: Schema.String,
  file: Schema.String,
  rows: Schema.NonNegativeInt,
  bytes: Schema.NonNegativeInt,
  /** SHA-256 of the file's bytes, hex. */
  sha256: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/)),
  /** The order of the cells in each line (an early-form source lacks the late columns). */
  columns: Schema.Array(Schema.String)
})
export type ExportedTable = typeof ExportedTable.Type

export const ExportMetadata = Schema.Struct({
  format: Schema.Literal(exportFormatName),
  version: Schema.Literal(exportFormatVersion),
  exportedAt: Schema.String,
  source: Schema.Struct({
    path: Schema.String,
    schemaForm: Schema.Literal("full", "early"),
    /** Whether every table was read from one snapshot. */
    snapshot: Schema.Boolean
  }),
  /** Parents before children. */
  tables: Schema.Array(ExportedTable)
})
export type ExportMetadata = typeof ExportMetadata.Type
