/**
 * What `import("@repo/database")` costs the bot: modules loaded, import time and resident memory, in a plain
 * `node` process whose node_modules links the built package (as the bot's monorepo links a workspace package).
 * Flags whether the root import pulled in what belongs to the offline programs (PGlite, the CLI, cli-progress,
 * the demo, the generator).
 *
 *   npm run build && npx tsx bench/import-cost.ts [--runs 7] [--before <dir of another built checkout>]
 *
 * `--before` measures a second built package the same way, in the same run (e.g. a worktree of an older commit
 * compiled with `tsc --outDir dist`), so the table shows both.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"

const { values } = parseArgs({
  options: { runs: { type: "string", default: "7" }, before: { type: "string" } }
})
const runs = Number(values.runs)
const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, "..")

interface Probe {
  readonly importMs: number
  readonly sinceStartMs: number
  readonly rssBytes: number
  readonly files: ReadonlyArray<string>
}

/** Offline-only code that must not load with the root import, by the path fragment that identifies it. */
const offline: ReadonlyArray<readonly [label: string, fragment: string]> = [
  ["PGlite", `${path.sep}@electric-sql${path.sep}`],
  ["@effect/cli", `${path.sep}@effect${path.sep}cli${path.sep}`],
  ["cli-progress", `${path.sep}cli-progress${path.sep}`],
  ["demo", `${path.sep}programs${path.sep}demo${path.sep}`],
  ["CLI", `${path.sep}programs${path.sep}cli${path.sep}`],
  ["generator", `${path.sep}testkit${path.sep}`],
  [
    "OpenTelemetry exporter (loaded only with OTEL_EXPORTER_OTLP_ENDPOINT)",
    `${path.sep}@effect${path.sep}opentelemetry${path.sep}`
  ],
  ["tsx/esbuild", `${path.sep}esbuild${path.sep}`]
]

const consumerOf = (packageDir: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "omega-import-cost-"))
  fs.mkdirSync(path.join(dir, "node_modules", "@repo"), { recursive: true })
  fs.symlinkSync(packageDir, path.join(dir, "node_modules", "@repo", "database"), "dir")
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "consumer", type: "module" }))
  for (const file of ["register.mjs", "hooks.mjs", "probe.mjs"]) {
    fs.copyFileSync(path.join(here, "import-cost", file), path.join(dir, file))
  }
  return dir
}

const probe = (consumer: string): Probe =>
  JSON.parse(
    execFileSync(process.execPath, ["--import", "./register.mjs", "probe.mjs", "@repo/database"], {
      cwd: consumer,
      encoding: "utf8"
    })
  ) as Probe

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN

const measure = (label: string, packageDir: string) => {
  const consumer = consumerOf(packageDir)
  try {
    const probes = Array.from({ length: runs }, () => probe(consumer))
    const files = probes[0]!.files
    const real = fs.realpathSync(packageDir)
    const own = files.filter((f) => f.startsWith(real) && !f.includes(`${path.sep}node_modules${path.sep}`))
    const packages = new Set(
      files
        .map((f) => /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(f.slice(f.lastIndexOf("node_modules")))?.[1])
        .filter((p): p is string => p !== undefined)
    )
    const pulled = offline.filter(([, fragment]) => files.some((f) => f.includes(fragment))).map(([name]) => name)
    return {
      label,
      modules: files.length,
      own: own.length,
      packages: packages.size,
      importMs: median(probes.map((p) => p.importMs)),
      startMs: median(probes.map((p) => p.sinceStartMs)),
      rssMb: median(probes.map((p) => p.rssBytes)) / 1024 / 1024,
      pulled: pulled.length === 0 ? "none" : pulled.join(", ")
    }
  } finally {
    fs.rmSync(consumer, { recursive: true, force: true })
  }
}

const rows = [
  ...(values.before ? [measure("before", path.resolve(values.before))] : []),
  measure("this checkout", root)
]

const header = ["package", "modules", "own", "npm pkgs", "import ms", "start→ready ms", "RSS MB", "offline code loaded"]
const table = rows.map((r) => [
  r.label,
  String(r.modules),
  String(r.own),
  String(r.packages),
  r.importMs.toFixed(0),
  r.startMs.toFixed(0),
  r.rssMb.toFixed(1),
  r.pulled
])
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)))
const line = (cells: ReadonlyArray<string>) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ")
process.stdout.write(`import("@repo/database") in plain node, median of ${runs} runs\n`)
process.stdout.write(`${line(header)}\n${line(widths.map((w) => "-".repeat(w)))}\n`)
for (const row of table) process.stdout.write(`${line(row)}\n`)
