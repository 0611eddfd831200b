/**
 * `import`: an export directory into PostgreSQL. The whole export is verified against its metadata first, then
 * its rows take exactly the path a copy takes (same conversion rules, same writer), so both end in the same data.
 */
import { Effect } from "effect"
import { stripUndefined } from "./CopyData.js"
import { defaultExportDir } from "./ExportData.js"
import { causeMessage, ExportInvalid } from "./DataErrors.js"
import { exportReader, type VerifiedExport, verifyExport } from "./ExportReader.js"
import { defaultLoadSettings, type LoadSettings, loadTables, targetName } from "./LoadTables.js"
import { loadSummary } from "./LoadSummary.js"

export interface ImportOptions extends Partial<LoadSettings> {
  /** The export directory (default `migration-data`). */
  readonly inDir?: string | undefined
  /** Only these tables (default: every table of the export). */
  readonly tables?: ReadonlyArray<string> | undefined
}

/** Loads an export that `verifyExport` accepted. */
export const loadExport = (verified: VerifiedExport, options: Omit<ImportOptions, "inDir" | "tables"> = {}) =>
  Effect.gen(function* () {
    const started = performance.now()
    const settings: LoadSettings = { ...defaultLoadSettings, ...stripUndefined(options) }
    const result = yield* loadTables(
      verified.tables.map(({ entry, table }) => ({
        table,
        total: entry.rows,
        reader: (pageRows: number) => exportReader(verified.dir, table, entry, pageRows),
        fail: (cause: unknown) =>
          cause instanceof ExportInvalid
            ? cause
            : new ExportInvalid({
                path: verified.dir,
                message: `cannot read ${table.name}: ${causeMessage(cause)}`,
                cause
              })
      })),
      settings
    )
    const lacking = verified.tables.filter(
      ({ entry, table }) => entry.columns.length < Object.keys(table.columns).length
    )
    return loadSummary({
      command: "import",
      source: verified.dir,
      sourceForm: verified.metadata.source.schemaForm,
      target: yield* targetName,
      settings,
      result,
      sourceWarnings: lacking.map(
        ({ entry, table }) =>
          `${table.name}: the export lacks ${Object.keys(table.columns).length - entry.columns.length} later columns; they load as NULL`
      ),
      started
    })
  })

/** Verifies the export in `inDir`, then loads it. */
export const importData = ({ inDir, tables, ...settings }: ImportOptions = {}) =>
  Effect.flatMap(verifyExport(inDir ?? defaultExportDir, tables), (verified) => loadExport(verified, settings))
