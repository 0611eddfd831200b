/** `omega-db import` (phase 3): an export directory into PostgreSQL, verified against its metadata first. */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { Effect, Layer } from "effect"
import { defaultExportDir } from "../../data/ExportData.js"
import { verifyExport } from "../../data/ExportReader.js"
import { loadExport } from "../../data/ImportData.js"
import { checkRejectsFile } from "../../data/RejectsFile.js"
import { failOnRejects, loadOptions, loadSettings } from "../LoadOptions.js"
import { postgresLayer, shared } from "../Options.js"
import { printSummary, renderLoadSummary } from "../Output.js"
import { checkPostgresUrl } from "../PostgresUrl.js"
import { TerminalProgressLive } from "../TerminalProgress.js"

const options = {
  ...shared,
  ...loadOptions,
  in: Options.text("in").pipe(Options.withDescription("the export directory"), Options.withDefault(defaultExportDir))
}

export const importCommand = Command.make("import", options, (flags) => {
  const { tables, ...settings } = loadSettings(flags)
  // The URL, the rejects file and the export are checked before PostgreSQL is even opened: a bad export or an
  // unusable rejects file writes nothing anywhere.
  return Effect.all([checkPostgresUrl(flags.postgres), checkRejectsFile(flags.rejects)]).pipe(
    Effect.zipRight(verifyExport(flags.in, tables)),
    Effect.flatMap((verified) =>
      loadExport(verified, settings).pipe(
        Effect.provide(
          Layer.merge(
            postgresLayer(flags, { migrate: true, connections: 2 * (settings.jobs ?? 3) + 2 }),
            TerminalProgressLive
          )
        )
      )
    ),
    Effect.tap((summary) => printSummary(summary, flags.json, renderLoadSummary)),
    Effect.flatMap(failOnRejects)
  )
}).pipe(
  Command.withDescription(
    "Phase 3: load an export into PostgreSQL (JSON to JSONB, 0/1 to BOOLEAN, parents first); a rerun skips rows already there"
  )
)
