// One measurement: import the package by name, then print what it cost as one JSON line.
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"

const specifier = process.argv[2]
const started = performance.now()
await import(specifier)
const importMs = performance.now() - started
// Let the loader thread's last messages arrive.
await new Promise((resolve) => setTimeout(resolve, 100))
const files = new Set()
for (const url of globalThis.__importCostLoaded) if (url.startsWith("file:")) files.add(fileURLToPath(url))
for (const file of Object.keys(createRequire(import.meta.url).cache)) files.add(file)
files.delete(fileURLToPath(import.meta.url))
process.stdout.write(
  JSON.stringify({
    importMs,
    sinceStartMs: performance.now() - 100,
    rssBytes: process.memoryUsage().rss,
    files: [...files]
  }) + "\n"
)
