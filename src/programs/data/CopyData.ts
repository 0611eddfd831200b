/**
 * `copy`: SQLite straight into PostgreSQL, no files in between. The source is read page by page (from one
 * snapshot in WAL mode) and every page goes through the same conversion rules and writer as an import.
 */
import { Effect } from "effect"
import { type LoadSettings, defaultLoadSettings, loadTables, targetName } from "./LoadTables.js"
import { loadSummary } from "./LoadSummary.js"
import { causeMessage, SourceError } from "./DataErrors.js"
import { SqliteSource, sourceWarnings } from "./SqliteSource.js"
import { selectTables } from "./TableSelection.js"

export interface CopyOptions extends Partial<LoadSettings> {
  /** Only these tables (default: all six). */
  readonly tables?: ReadonlyArray<string> | undefined
}

export const copyData = (options: CopyOptions = {}) =>
  Effect.gen(function* () {
    const started = performance.now()
    const settings: LoadSettings = { ...defaultLoadSettings, ...stripUndefined(options) }
    const selected = yield* selectTables(options.tables)
    const source = yield* SqliteSource
    const sources = yield* Effect.forEach(selected, (table) =>
      Effect.map(source.count(table.name), (total) => ({
        table,
        total,
        reader: (pageRows: number) => Effect.sync(() => source.reader(table, pageRows)),
        ranges: (parts: number) =>
          Effect.map(source.ranges(table.name, parts), (ranges) =>
            ranges.map((range) => (pageRows: number) => Effect.sync(() => source.reader(table, pageRows, range)))
          ),
        fail: (cause: unknown) =>
          cause instanceof SourceError
            ? cause
            : new SourceError({
                path: source.path,
                message: `cannot read ${table.name}: ${causeMessage(cause)}`,
                cause
              })
      }))
    )
    const result = yield* loadTables(sources, settings)
    return loadSummary({
      command: "copy",
      source: source.path,
      sourceForm: source.form,
      target: yield* targetName,
      settings,
      result,
      sourceWarnings: sourceWarnings(
        source,
        selected.map((t) => t.name)
      ),
      started
    })
  })

export const stripUndefined = <A extends object>(a: A): Partial<A> =>
  Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as Partial<A>
