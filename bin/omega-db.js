#!/usr/bin/env node
// The omega-db command, with no build step for the user: the first run (and any run after a source file changed)
// bundles the TypeScript CLI with esbuild into node_modules/.cache/omega-db/, later runs import that bundle. A
// bundle starts in a fraction of a second and holds a fraction of the memory of loading hundreds of modules
// through a TypeScript loader, which matters for a long copy. If the bundle cannot be written (a read-only
// install) or OMEGA_DB_NO_BUNDLE is set, the sources run through tsx instead.
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const entry = path.join(root, "src", "programs", "cli", "main.ts")
const bundle = path.join(root, "node_modules", ".cache", "omega-db", "omega-db.mjs")

/** The newest modification time among the sources (files and directories, so deletions count too). */
const newestSource = () => {
  let newest = Math.max(
    fs.statSync(path.join(root, "package.json")).mtimeMs,
    fs.statSync(fileURLToPath(import.meta.url)).mtimeMs
  )
  const walk = (dir) => {
    newest = Math.max(newest, fs.statSync(dir).mtimeMs)
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else newest = Math.max(newest, fs.statSync(full).mtimeMs)
    }
  }
  walk(path.join(root, "src"))
  return newest
}

const isFresh = () => {
  try {
    return fs.statSync(bundle).mtimeMs >= newestSource()
  } catch {
    return false
  }
}

const build = async () => {
  const esbuild = await import("esbuild")
  const partial = `${bundle}.${process.pid}.partial`
  fs.mkdirSync(path.dirname(bundle), { recursive: true })
  await esbuild.build({
    entryPoints: [entry],
    outfile: partial,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Native or CommonJS packages with optional requires stay in node_modules.
    // PGlite loads its WASM and data files relative to its own package: it must stay in node_modules.
    external: [
      "better-sqlite3",
      "pg",
      "pg-native",
      "pg-copy-streams",
      "cli-progress",
      "@electric-sql/pglite",
      "@electric-sql/pglite-socket"
    ],
    banner: {
      js: `import { createRequire as __omegaRequire } from "node:module"; const require = __omegaRequire(import.meta.url);`
    },
    logLevel: "silent"
  })
  // Atomic: a concurrent run sees the old bundle or the new one, never half of one.
  fs.renameSync(partial, bundle)
}

const target = async () => {
  if (!process.env.OMEGA_DB_NO_BUNDLE) {
    try {
      if (!isFresh()) await build()
      return pathToFileURL(bundle).href
    } catch {
      // Fall through to running the sources.
    }
  }
  const { register } = await import("tsx/esm/api")
  register()
  return pathToFileURL(entry).href
}

await import(await target())
