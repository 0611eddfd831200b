/**
 * `omega-db demo` (also `npm start`): the migration guide end to end on a generated legacy database, printed phase
 * by phase with its figures; `--json` prints the summary instead. Needs nothing but Node.js: with no PostgreSQL
 * URL (flag or environment) it runs on an embedded PostgreSQL. Exits non-zero when a phase fails.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { Console, Effect, Logger, LogLevel, Option } from "effect"
import { postgresUrl } from "../../../runtime/config/DatabaseConfig.js"
import { phases, runDemo } from "../../demo/Demo.js"
import { DemoFailed } from "../../demo/DemoFailed.js"
import { resolveDemoOptions } from "../../demo/DemoOptions.js"
import { renderPhase, renderVerdict } from "../../demo/RenderDemo.js"
import { json } from "../Options.js"
import { checkPostgresUrl, postgresUrlOption } from "../PostgresUrl.js"
import { wholeNumber } from "../WholeNumberOption.js"

const phaseCount = Object.keys(phases).length

const options = {
  messages: wholeNumber("messages", { min: 50 }).pipe(
    Options.withDescription("messages in the generated legacy database (the other tables are sized from it)"),
    Options.withDefault(20_000)
  ),
  writes: wholeNumber("writes", { min: 20 }).pipe(
    Options.withDescription("service writes under shadow mode; the two following phases make half as many each"),
    Options.withDefault(2_000)
  ),
  keep: Options.boolean("keep").pipe(
    Options.withDescription("keep the work dir (legacy database, rejects file) and the demo's PostgreSQL database")
  ),
  workDir: Options.text("work-dir").pipe(
    Options.withDescription("where the demo's files go (default: a fresh temp directory)"),
    Options.optional
  ),
  postgres: postgresUrlOption("postgres").pipe(
    Options.withDescription(
      "run on this PostgreSQL server, in a database the demo creates and drops (default: $POSTGRES_URL, " +
        "$DATABASE_PUBLIC_URL or $DATABASE_URL; with none, an embedded PostgreSQL)"
    ),
    Options.optional
  ),
  json
} as const

// Progress of the bot's own layers (mode chosen, journal replays) is logged at info; the demo prints its own
// figures, so only warnings and errors are shown, on stderr, where they cannot break `--json`.
const quietLogs = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    Logger.withMinimumLogLevel(LogLevel.Warning),
    Effect.provide(Logger.replace(Logger.defaultLogger, Logger.withLeveledConsole(Logger.logfmtLogger)))
  )

export const demoCommand = Command.make("demo", options, (flags) =>
  Effect.gen(function* () {
    yield* checkPostgresUrl(flags.postgres)
    const url = Option.isSome(flags.postgres) ? flags.postgres : yield* postgresUrl
    // Bad sizes are refused before anything is printed or started.
    yield* resolveDemoOptions({ messages: flags.messages, writes: flags.writes })
    if (!flags.json) {
      yield* Console.log(
        `omega-db demo: the migration guide end to end on a generated legacy database ` +
          `(${flags.messages.toLocaleString("en-US")} messages, ${flags.writes.toLocaleString("en-US")} writes under ` +
          `shadow mode), on ${Option.isSome(url) ? "a database of its own on the configured PostgreSQL" : "an embedded PostgreSQL (no PostgreSQL URL configured)"}\n`
      )
    }
    const summary = yield* runDemo({
      messages: flags.messages,
      writes: flags.writes,
      keep: flags.keep,
      workDir: Option.getOrUndefined(flags.workDir),
      postgresUrl: Option.getOrUndefined(url),
      onPhase: flags.json ? undefined : (phase) => Console.log(`${renderPhase(phase, phaseCount)}\n`)
    })
    yield* Console.log(flags.json ? JSON.stringify(summary, null, 2) : renderVerdict(summary, phaseCount))
    if (!summary.ok) {
      const last = summary.phases.at(-1)
      return yield* new DemoFailed({ phase: last?.title ?? "start", reason: last?.error ?? "unknown" })
    }
  }).pipe(quietLogs)
).pipe(
  Command.withDescription(
    "Walk the whole migration on a generated legacy database: schema, copy, verify, shadow writes under load, " +
      "reads from PostgreSQL, PostgreSQL primary, rollback, verify. No setup: embedded PostgreSQL without a URL"
  )
)
