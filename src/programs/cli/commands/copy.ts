/** `omega-db copy`: SQLite straight into PostgreSQL, no files; the fast path for phases 2 and 3 together. */
import * as Command from "@effect/cli/Command"
import { Effect, Layer } from "effect"
import { copyData } from "../../data/CopyData.js"
import { defaultStreams } from "../../data/LoadTables.js"
import { checkRejectsFile } from "../../data/RejectsFile.js"
import { selectTables } from "../../data/TableSelection.js"
import { failOnRejects, loadOptions, loadSettings } from "../LoadOptions.js"
import { postgresLayer, shared, sqliteSourceLayer } from "../Options.js"
import { printSummary, renderLoadSummary } from "../Output.js"
import { checkPostgresUrl } from "../PostgresUrl.js"
import { TerminalProgressLive } from "../TerminalProgress.js"

export const copyCommand = Command.make("copy", { ...shared, ...loadOptions }, (flags) => {
  const settings = loadSettings(flags)
  const databases = Layer.mergeAll(
    sqliteSourceLayer(flags),
    // Every job's streams at once, plus index builds.
    postgresLayer(flags, {
      migrate: true,
      connections: (settings.jobs ?? 3) * (settings.streams ?? defaultStreams()) + 2
    }),
    TerminalProgressLive
  )
  // Arguments, the URL and the rejects file are checked before any database is opened: a refusal changes nothing.
  return Effect.all([
    selectTables(settings.tables),
    checkPostgresUrl(flags.postgres),
    checkRejectsFile(flags.rejects)
  ]).pipe(
    Effect.zipRight(copyData(settings).pipe(Effect.provide(databases))),
    Effect.tap((summary) => printSummary(summary, flags.json, renderLoadSummary)),
    Effect.flatMap(failOnRejects)
  )
}).pipe(
  Command.withDescription(
    "Phases 2+3 in one: copy SQLite into PostgreSQL with COPY, tables in parallel; a rerun skips rows already there"
  )
)
