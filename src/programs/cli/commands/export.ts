/** `omega-db export` (phase 2): every table of the SQLite file to JSON Lines files plus `_metadata.json`. */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { Effect, Layer } from "effect"
import { checkExportTarget, defaultExportDir, exportData } from "../../data/ExportData.js"
import { selectTables } from "../../data/TableSelection.js"
import { shared, sqliteSourceLayer } from "../Options.js"
import { printSummary, renderExportSummary } from "../Output.js"
import { TerminalProgressLive } from "../TerminalProgress.js"

const options = {
  ...shared,
  out: Options.text("out").pipe(Options.withDescription("the export directory"), Options.withDefault(defaultExportDir)),
  force: Options.boolean("force").pipe(Options.withDescription("replace an existing export in --out")),
  tables: Options.text("table").pipe(
    Options.withDescription("export only this table (repeatable; default: all six)"),
    Options.repeated
  )
}

export const exportCommand = Command.make("export", options, (flags) =>
  // The tables and the export directory are checked before the SQLite file is opened.
  Effect.all([selectTables(flags.tables), checkExportTarget(flags.out, flags.force)]).pipe(
    Effect.zipRight(
      exportData({ outDir: flags.out, force: flags.force, tables: flags.tables }).pipe(
        Effect.provide(Layer.merge(sqliteSourceLayer(flags), TerminalProgressLive))
      )
    ),
    Effect.flatMap((summary) => printSummary(summary, flags.json, renderExportSummary))
  )
).pipe(
  Command.withDescription(
    "Phase 2: export the SQLite database to <out>/<table>.jsonl and <out>/_metadata.json (read-only on SQLite)"
  )
)
