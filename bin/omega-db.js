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
await import(main.href)
