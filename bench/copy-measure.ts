/**
 * Runs a command as its own process group and measures what the benchmark reports: wall time and peak resident
 * memory of the whole group (a shell pipeline counts every process in it). Memory is sampled from /proc: the peak
 * is the larger of the highest sampled sum over the group and the highest VmHWM any single process reached.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"

export interface Measured {
  readonly code: number | null
  readonly wallSeconds: number
  readonly peakRssMb: number
  readonly stdout: string
  readonly stderr: string
}

const statusKb = (pid: number, field: "VmRSS" | "VmHWM"): number => {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))
    return match ? Number(match[1]) : 0
  } catch {
    return 0
  }
}

/** Pids whose process group is `group`. */
const groupMembers = (group: number): Array<number> => {
  const pids: Array<number> = []
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8")
      // Fields after the command name, which is in parentheses and may contain spaces.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
      if (Number(fields[2]) === group) pids.push(Number(entry))
    } catch {
      // The process ended between listing and reading.
    }
  }
  return pids
}

export const measure = (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly env?: NodeJS.ProcessEnv; readonly cwd?: string } = {}
): Promise<Measured> =>
  new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: options.env ?? process.env,
      cwd: options.cwd
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d) => (stdout += String(d)))
    child.stderr.on("data", (d) => (stderr += String(d)))
    let peakSumKb = 0
    let peakSingleKb = 0
    const sample = () => {
      if (child.pid === undefined) return
      let sum = 0
      for (const pid of groupMembers(child.pid)) {
        sum += statusKb(pid, "VmRSS")
        peakSingleKb = Math.max(peakSingleKb, statusKb(pid, "VmHWM"))
      }
      peakSumKb = Math.max(peakSumKb, sum)
    }
    const timer = setInterval(sample, 20)
    child.on("error", (error) => {
      clearInterval(timer)
      reject(error)
    })
    child.on("close", (code) => {
      clearInterval(timer)
      resolve({
        code,
        wallSeconds: (performance.now() - started) / 1000,
        peakRssMb: Math.max(peakSumKb, peakSingleKb) / 1024,
        stdout,
        stderr
      })
    })
  })
