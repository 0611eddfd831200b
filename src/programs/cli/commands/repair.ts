/** `omega-db repair`: apply the shadow outbox, copy what verify finds missing or different from the primary, verify again. */
import { Command, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import * as fs from "node:fs"
import { causeMessage, OutputError } from "../../data/DataErrors.js"
import { probeFolderOf } from "../../../runtime/files/OutputLocation.js"
import { renderRepairText } from "../../repair/RenderRepairReport.js"
import { repair } from "../../repair/Repair.js"
import { rejectsLocation, rejectsOutputFile } from "../../verify/Rejects.js"
import { printSummary } from "../Output.js"
import { checkPostgresUrl } from "../PostgresUrl.js"
import { bothDatabases, failOnFailedChecks, verifyOptions, verifySettings } from "./verify.js"

const options = {
  ...verifyOptions,
  deleteExtra: Options.boolean("delete-extra").pipe(
    Options.withDescription("delete rows that exist only on the non-primary database (never done without this flag)")
  ),
  dryRun: Options.boolean("dry-run").pipe(Options.withDescription("report what would be done, change nothing"))
} as const

/**
 * Fails unless the rows repair cannot copy could be appended where it records them: checked before any database
 * is opened, since the append comes after the repair has changed them. Tried for real (the file opened for
 * writing, or a probe in its folder), changing nothing.
 */
const checkRejectsOutput = (given: Option.Option<string>) =>
  Effect.suspend(() => {
    const location = rejectsLocation(Option.getOrUndefined(given))
    if (location === undefined) return Effect.void
    const file = rejectsOutputFile(location)
    return Effect.try({
      try: () => (fs.existsSync(file) ? fs.closeSync(fs.openSync(file, "r+")) : probeFolderOf(file)),
      catch: (cause) =>
        new OutputError({ path: file, message: `cannot write rejects to ${file}: ${causeMessage(cause)}`, cause })
    })
  })

export const repairCommand = Command.make("repair", options, (flags) =>
  // Settings and the output are checked before a database is opened.
  Effect.all([
    checkPostgresUrl(flags.postgres),
    flags.dryRun ? Effect.void : checkRejectsOutput(flags.rejects),
    verifySettings(flags)
  ]).pipe(
    Effect.flatMap(([, , settings]) =>
      repair({ ...settings, deleteExtra: flags.deleteExtra, dryRun: flags.dryRun }).pipe(
        Effect.provide(bothDatabases(flags))
      )
    ),
    Effect.tap((report) => printSummary(report, flags.json, renderRepairText)),
    Effect.flatMap((report) => failOnFailedChecks(report.verify))
  )
).pipe(
  Command.withDescription(
    "Apply the primary's shadow outbox and replay dead letters (unless a running bot applies them), repair " +
      "SQLite's FTS index if broken, copy rows missing or different on the " +
      "non-primary database by key (idempotent), then verify; rows refused are appended to the rejects file " +
      "(--rejects, or the copy's default file when it exists)"
  )
)
