/**
 * Vitest global setup: compile the package into dist/ once, so tests that spawn `omega-db` run the current code.
 * tsc still emits when some file has a type error; that is the type-check's to report (CI runs it first), so the
 * suite goes on with what was emitted instead of refusing to start.
 */
import { execFileSync } from "node:child_process"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"

export default function buildOnce(): void {
  const root = fileURLToPath(new URL("../..", import.meta.url))
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
  try {
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, stdio: "pipe" })
  } catch (error) {
    const output = (error as { stdout?: Buffer }).stdout?.toString() ?? String(error)
    process.stderr.write(`buildOnce: tsc reported errors (dist/ was emitted anyway):\n${output}\n`)
  }
}
