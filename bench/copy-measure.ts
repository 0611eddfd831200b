/**
 * Runs a command as its own process group and measures what the benchmark reports: wall time, peak resident
 * memory and CPU time of the whole group (a shell pipeline counts every process in it), and the CPU time the local
 * PostgreSQL server spent meanwhile. Memory is sampled from /proc: the peak is the larger of the highest sampled
 * sum over the group and the highest VmHWM any single process reached. CPU is each process's last sampled
 * utime + stime (a process that exits between two samples loses at most one interval of it).
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"

export interface Measured {
  readonly code: number | null
  readonly wallSeconds: number
  readonly peakRssMb: number
  /** CPU seconds of the command's processes. */
  readonly clientCpuSeconds: number
  /** CPU seconds of the PostgreSQL server during the run, when it runs on this machine (else NaN). */
  readonly serverCpuSeconds: number
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

const ticksPerSecond = 100

/** Fields of /proc/<pid>/stat after the command name (which is in parentheses and may contain spaces). */
const statFields = (pid: number): Array<string> | undefined => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  } catch {
    return undefined
  }
}

/** utime + stime of a process, in ticks (fields 14 and 15 of stat). */
const cpuTicks = (pid: number): number => {
  const fields = statFields(pid)
  return fields === undefined ? 0 : Number(fields[11]) + Number(fields[12])
}

/**
 * CPU seconds the PostgreSQL server has used so far: the postmaster, its live children (backends, WAL writer,
 * checkpointer...) and, through the postmaster's cutime/cstime, every child that has exited.
 */
export const serverCpuSeconds = (postmasterPid: number | undefined): number => {
  if (postmasterPid === undefined) return NaN
  const own = statFields(postmasterPid)
  if (own === undefined) return NaN
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14])
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue
    const fields = statFields(Number(entry))
    if (fields !== undefined && Number(fields[1]) === postmasterPid) ticks += Number(fields[11]) + Number(fields[12])
  }
  return ticks / ticksPerSecond
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
  options: { readonly env?: NodeJS.ProcessEnv; readonly cwd?: string; readonly postmasterPid?: number } = {}
): Promise<Measured> =>
  new Promise((resolve, reject) => {
    const serverBefore = serverCpuSeconds(options.postmasterPid)
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
    const cpu = new Map<number, number>()
    const sample = () => {
      if (child.pid === undefined) return
      let sum = 0
      for (const pid of groupMembers(child.pid)) {
        cpu.set(pid, Math.max(cpu.get(pid) ?? 0, cpuTicks(pid)))
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
      const wallSeconds = (performance.now() - started) / 1000
      // The backends of the run's connections exit just after it; give the postmaster time to reap them.
      setTimeout(() => {
        resolve({
          code,
          wallSeconds,
          peakRssMb: Math.max(peakSumKb, peakSingleKb) / 1024,
          clientCpuSeconds: [...cpu.values()].reduce((a, b) => a + b, 0) / ticksPerSecond,
          serverCpuSeconds: serverCpuSeconds(options.postmasterPid) - serverBefore,
          stdout,
          stderr
        })
      }, 500)
    })
  })
