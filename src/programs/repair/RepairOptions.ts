/** How repair runs. The verify options drive the final verification and the comparison it repairs from. */
import { type ConfigError, Effect } from "effect"
import type { VerifyError } from "../verify/VerifyError.js"
import { resolveVerifyOptions, type VerifyOptions } from "../verify/VerifyOptions.js"

export interface RepairOptions extends VerifyOptions {
  /** Delete rows that exist only on the non-primary side. Off by default: repair never deletes unless told to. */
  readonly deleteExtra: boolean
  /** Compare and report what would be done, change nothing. */
  readonly dryRun: boolean
}

export const resolveRepairOptions = (
  options: Partial<RepairOptions> = {}
): Effect.Effect<RepairOptions, ConfigError.ConfigError | VerifyError> =>
  Effect.map(resolveVerifyOptions(options), (verifyOptions) => ({
    ...verifyOptions,
    deleteExtra: options.deleteExtra ?? false,
    dryRun: options.dryRun ?? false
  }))
