/**
 * The omega-db command: one subcommand per migration program. Adding a command is one line in `subcommands`
 * (its module in commands/ builds it from the shared options in Options.ts).
 */
import * as Command from "@effect/cli/Command"
import { copyCommand } from "./commands/copy.js"
import { demoCommand } from "./commands/demo.js"
import { exportCommand } from "./commands/export.js"
import { importCommand } from "./commands/import.js"
import { repairCommand } from "./commands/repair.js"
import { schemaCommand } from "./commands/schema.js"
import { statusCommand } from "./commands/status.js"
import { verifyCommand } from "./commands/verify.js"

const subcommands = [
  schemaCommand,
  exportCommand,
  importCommand,
  copyCommand,
  verifyCommand,
  repairCommand,
  statusCommand,
  demoCommand
] as const

export const omegaDb = Command.make("omega-db").pipe(
  Command.withDescription("Move the bot's data from SQLite to PostgreSQL (see docs/migration-commands.md)"),
  Command.withSubcommands(subcommands)
)

export const runCli = Command.run(omegaDb, { name: "omega-db", version: "0.1.0" })
