/** `omega-db repair`: copy what verify finds missing or different from the primary, replay the journal, verify again. */
import { Command, Options } from "@effect/cli"
import { Effect } from "effect"
import { renderRepairText } from "../../repair/RenderRepairReport.js"
import { repair } from "../../repair/Repair.js"
import { printSummary } from "../Output.js"
import { bothDatabases, failOnFailedChecks, verifyOptions, verifySettings } from "./verify.js"

const options = {
  ...verifyOptions,
  deleteExtra: Options.boolean("delete-extra").pipe(
    Options.withDescription("delete rows that exist only on the non-primary database (never done without this flag)")
  ),
  dryRun: Options.boolean("dry-run").pipe(Options.withDescription("report what would be done, change nothing"))
} as const

export const repairCommand = Command.make("repair", options, (flags) =>
  verifySettings(flags).pipe(
    Effect.flatMap((settings) => repair({ ...settings, deleteExtra: flags.deleteExtra, dryRun: flags.dryRun })),
    Effect.provide(bothDatabases(flags)),
    Effect.tap((report) => printSummary(report, flags.json, renderRepairText)),
    Effect.flatMap((report) => failOnFailedChecks(report.verify))
  )
).pipe(
  Command.withDescription(
    "Replay the shadow journal, repair SQLite's FTS index if broken, copy rows missing or different on the " +
      "non-primary database by key (idempotent), then verify; rows refused are appended to the rejects file " +
      "(--rejects, or the copy's default file when it exists)"
  )
)
