#!/usr/bin/env node
// The omega-db command: runs the CLI that `npm run build` compiled into dist/. No bundling or TypeScript loader at
// run time, so the command starts fast and an installed package needs nothing but its dependencies.
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"

const main = new URL("../dist/programs/cli/main.js", import.meta.url)
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write("omega-db: the CLI is not built (dist/ is missing): run `npm run build` in the package first\n")
  process.exit(1)
}
// Until main.js has installed its own handlers (it stops the command cleanly and exits 130), a signal would kill the
// process by its default action (exit 143 for SIGTERM): loading the CLI takes a moment, and an operator's Ctrl-C in
// it must end the same way. Nothing has been opened yet, so exiting at once is clean.
const interruptedWhileLoading = () => process.exit(130)
process.on("SIGINT", interruptedWhileLoading)
process.on("SIGTERM", interruptedWhileLoading)
await import(main.href)
process.off("SIGINT", interruptedWhileLoading)
process.off("SIGTERM", interruptedWhileLoading)
