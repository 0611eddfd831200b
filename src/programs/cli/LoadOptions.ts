/** The options import and copy share: how conflicts, truncation, rejects, batches and parallelism are handled. */
import * as Options from "@effect/cli/Options"
import { Effect, Option } from "effect"
import { defaultLoadSettings, type LoadSettings } from "../data/LoadTables.js"
import type { LoadSummary } from "../data/LoadSummary.js"
import { RowsRejected } from "./RowsRejected.js"
import { wholeNumber } from "./WholeNumberOption.js"

/**
 * What the numeric flags accept: a batch must hold a row; more jobs than the six tables would only hold
 * connections, and each stream takes a connection of its own out of the server's limit (100 by default).
 */
export const loadRanges = {
  batchSize: { min: 1 },
  jobs: { min: 1, max: 6 },
  streams: { min: 1, max: 16 }
} as const

export const loadOptions = {
  onConflict: Options.choice("on-conflict", ["skip", "update"]).pipe(
    Options.withDescription(
      "rows already in PostgreSQL: skip them (default, a rerun changes nothing) or update those that differ"
    ),
    Options.withDefault("skip" as const)
  ),
  truncate: Options.boolean("truncate").pipe(
    Options.withDescription("empty the target tables first (nothing is ever deleted without this flag)")
  ),
  rejects: Options.text("rejects").pipe(
    Options.withDescription("where rows that cannot be loaded are written, as JSON Lines"),
    Options.withDefault(defaultLoadSettings.rejectsPath)
  ),
  tables: Options.text("table").pipe(
    Options.withDescription("load only this table (repeatable; default: all six)"),
    Options.repeated
  ),
  batchSize: wholeNumber("batch-size", loadRanges.batchSize).pipe(
    Options.withDescription("rows per batch, one transaction each (default: about 2 MB of rows)"),
    Options.optional
  ),
  jobs: wholeNumber("jobs", loadRanges.jobs).pipe(
    Options.withDescription(
      "tables loaded at the same time, as foreign keys allow, largest first (default: 1, or 3 with --keep-indexes)"
    ),
    Options.optional
  ),
  streams: wholeNumber("streams", loadRanges.streams).pipe(
    Options.withDescription(
      "copy: parallel streams for a large table whose indexes are kept, each a rowid range on its own connection (default: one per CPU, at most 4)"
    ),
    Options.optional
  ),
  keepIndexes: Options.boolean("keep-indexes").pipe(
    Options.withDescription(
      "maintain secondary indexes row by row even on an empty table (by default they are built after its load)"
    )
  )
} as const

export interface LoadFlags {
  readonly onConflict: "skip" | "update"
  readonly truncate: boolean
  readonly rejects: string
  readonly tables: ReadonlyArray<string>
  readonly batchSize: Option.Option<number>
  readonly jobs: Option.Option<number>
  readonly streams: Option.Option<number>
  readonly keepIndexes: boolean
}

export const loadSettings = (flags: LoadFlags): LoadSettings & { readonly tables: ReadonlyArray<string> } => ({
  onConflict: flags.onConflict,
  truncate: flags.truncate,
  rejectsPath: flags.rejects,
  batchRows: Option.getOrUndefined(flags.batchSize),
  jobs: Option.getOrUndefined(flags.jobs),
  streams: Option.getOrUndefined(flags.streams),
  deferIndexes: !flags.keepIndexes,
  tables: flags.tables
})

/** After the summary is printed: fail with RowsRejected when the load was not complete. */
export const failOnRejects = (summary: LoadSummary) =>
  summary.totals.rejected > 0
    ? Effect.fail(new RowsRejected({ rejected: summary.totals.rejected, rejectsFile: summary.rejectsFile }))
    : Effect.void
