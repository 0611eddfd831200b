/** How the demo runs: sizes, where PostgreSQL is, where its files go. Everything has a default. */
import { Data, Effect, type Redacted } from "effect"
import type { PhaseReport } from "./DemoSummary.js"

export interface DemoOptions {
  /** Messages in the generated legacy database (the other tables are sized from it). Default 20,000. */
  readonly messages?: number | undefined
  /** Service writes in the shadow phase; the read and PostgreSQL-primary phases make half as many. Default 2,000. */
  readonly writes?: number | undefined
  /** Simulated users writing at the same time. Default 16. */
  readonly concurrency?: number | undefined
  /** A PostgreSQL server to run on (the demo creates and drops a database of its own there); embedded when absent. */
  readonly postgresUrl?: Redacted.Redacted | undefined
  /** Where the legacy database and the rejects file go; a fresh temp directory when absent. */
  readonly workDir?: string | undefined
  /** Keep the work dir (and, on a server, the demo database) afterwards. */
  readonly keep?: boolean | undefined
  /** Seed of the generated data. Default 42. */
  readonly seed?: number | undefined
  /** Called as each phase ends, to print it while the demo goes on. */
  readonly onPhase?: ((phase: PhaseReport) => Effect.Effect<void>) | undefined
}

export interface ResolvedDemoOptions {
  readonly messages: number
  readonly writes: number
  readonly concurrency: number
  readonly postgresUrl: Redacted.Redacted | undefined
  readonly workDir: string | undefined
  readonly keep: boolean
  readonly seed: number
  readonly onPhase: (phase: PhaseReport) => Effect.Effect<void>
}

/** An option the demo cannot run with. */
export class DemoOptionError extends Data.TaggedError("DemoOptionError")<{ readonly message: string }> {}

const atLeast = (name: string, value: number, min: number) =>
  Number.isSafeInteger(value) && value >= min
    ? Effect.succeed(value)
    : Effect.fail(new DemoOptionError({ message: `${name} must be an integer of at least ${min}, got ${value}` }))

export const resolveDemoOptions = (options: DemoOptions): Effect.Effect<ResolvedDemoOptions, DemoOptionError> =>
  Effect.gen(function* () {
    return {
      messages: yield* atLeast("messages", options.messages ?? 20_000, 50),
      writes: yield* atLeast("writes", options.writes ?? 2_000, 20),
      concurrency: yield* atLeast("concurrency", options.concurrency ?? 16, 1),
      postgresUrl: options.postgresUrl,
      workDir: options.workDir,
      keep: options.keep ?? false,
      seed: yield* atLeast("seed", options.seed ?? 42, 0),
      onPhase: options.onPhase ?? (() => Effect.void)
    }
  })
