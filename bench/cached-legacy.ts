/**
 * A generated legacy database kept in bench/.data/ for the next run. Generated under a temporary name and renamed
 * once complete, so that a run stopped during generation leaves nothing a later run would take for the data.
 */
import { Effect } from "effect"
import * as fs from "node:fs"
import { generateLegacyDatabase, type LegacyGeneratorOptions } from "../src/testkit/LegacyDatabaseGenerator.js"

export const cachedLegacyDatabase = async (
  file: string,
  options: Omit<LegacyGeneratorOptions, "path">,
  log: (line: string) => void
): Promise<string> => {
  if (fs.existsSync(file)) return file
  log(`generating ${file} (${options.messages} messages${options.skewed === true ? ", skewed" : ""})...`)
  const partial = `${file}.partial`
  fs.rmSync(partial, { force: true })
  await Effect.runPromise(generateLegacyDatabase({ ...options, path: partial }))
  fs.renameSync(partial, file)
  return file
}
