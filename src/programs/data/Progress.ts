/**
 * Progress of a long program, per table. Optional: the programs look it up with `serviceOption`, so a caller that
 * provides nothing sees nothing; the CLI provides progress bars on a terminal.
 */
import { Context, Effect, Option } from "effect"

export interface TableProgress {
  /** `rows` more rows of this table were handled (written, skipped or rejected). */
  readonly advance: (rows: number) => Effect.Effect<void>
  readonly done: Effect.Effect<void>
}

export interface ProgressShape {
  readonly table: (table: string, total: number) => Effect.Effect<TableProgress>
}

export class Progress extends Context.Tag("@repo/database/Progress")<Progress, ProgressShape>() {}

const silentTable: TableProgress = { advance: () => Effect.void, done: Effect.void }

export const silent: ProgressShape = { table: () => Effect.succeed(silentTable) }

/** The progress of `table` from the context, or a silent one. */
export const tableProgress = (table: string, total: number): Effect.Effect<TableProgress> =>
  Effect.flatMap(Effect.serviceOption(Progress), (progress) =>
    Option.getOrElse(progress, () => silent).table(table, total)
  )
