/**
 * The bot as a child process (test/modes/support/bot-writes.mjs over the built package), for the tests that kill
 * it: how many writes it acknowledged, its shadow health at a clean end, and SIGKILL at any moment.
 */
import { Deferred, Duration, Effect } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

const script = fileURLToPath(new URL("./bot-writes.mjs", import.meta.url))

export interface BotExit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  /** The shadow health snapshot the bot printed at a clean end. */
  readonly health: Record<string, unknown> | null
  readonly stderr: string
  /** The bot's log (its last lines), for a failure's message. */
  readonly log: string
  /** Entries its applier applied, as it logged when it stopped (after the shutdown drain). */
  readonly appliedAtEnd: number | null
}

export interface BotProcess {
  readonly pid: number
  /** Writes acknowledged so far (reported every 25, and exactly at a clean end). */
  readonly acked: () => number
  /** Waits until at least `n` writes were acknowledged; false when the bot ended or `within` passed first. */
  readonly ackedAtLeast: (n: number, within: Duration.DurationInput) => Effect.Effect<boolean>
  readonly kill: Effect.Effect<void>
  readonly exited: Effect.Effect<BotExit>
}

/** Starts the bot with `env` on top of this process's environment; killed when the scope closes. */
export const startBot = (env: Record<string, string>) =>
  Effect.acquireRelease(
    Effect.gen(function* () {
      const exited = yield* Deferred.make<BotExit>()
      const child: ChildProcess = spawn(process.execPath, [script], {
        env: { ...process.env, SHADOW_HEALTH_INTERVAL_MS: "0", ...env },
        stdio: ["ignore", "pipe", "pipe"]
      })
      let acked = 0
      let health: Record<string, unknown> | null = null
      let stderr = ""
      let log = ""
      let buffer = ""
      child.stdout!.on("data", (chunk: Buffer) => {
        buffer += chunk.toString()
        const lines = buffer.split("\n")
        buffer = lines.pop() ?? ""
        for (const line of lines) {
          if (line.startsWith("ack ")) acked = Math.max(acked, Number(line.slice(4)))
          else if (line.startsWith("health ")) health = JSON.parse(line.slice(7)) as Record<string, unknown>
          else log = `${log}${line}\n`.slice(-20_000)
        }
      })
      child.stderr!.on("data", (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-20_000)
      })
      child.on("exit", (code, signal) => {
        const stopped = /message="shadow applier stopped".* applied=(\d+)/.exec(log)
        const appliedAtEnd = stopped === null ? null : Number(stopped[1])
        Deferred.unsafeDone(exited, Effect.succeed({ code, signal, health, stderr, log, appliedAtEnd }))
      })
      const ackedAtLeast = (n: number, within: Duration.DurationInput) =>
        Effect.gen(function* () {
          const deadline = Date.now() + Duration.toMillis(Duration.decode(within))
          while (acked < n && Date.now() < deadline && !(yield* Deferred.isDone(exited))) {
            yield* Effect.sleep(Duration.millis(20))
          }
          return acked >= n
        })
      return {
        pid: child.pid ?? -1,
        acked: () => acked,
        ackedAtLeast,
        kill: Effect.zipRight(
          Effect.sync(() => child.kill("SIGKILL")),
          Effect.asVoid(Deferred.await(exited))
        ),
        exited: Deferred.await(exited)
      } satisfies BotProcess
    }),
    (bot) => bot.kill
  )
