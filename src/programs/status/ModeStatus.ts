/**
 * The mode variables as `status` shows them: each raw value beside what it does, and the mode they select,
 * decided by the modes' own strict parser (`flag`, `selectMode`), so status and the bot never disagree. An
 * invalid value or READ without SHADOW is reported, not thrown: status must still show everything else.
 */
import { Config, Effect, Either, Option } from "effect"
import { flag, selectMode } from "../../runtime/config/ModeConfig.js"
import { describeMode, type Mode } from "../../runtime/config/Mode.js"
import { configMessage } from "./ConfigMessage.js"
import type { ModeStatus, VariableStatus } from "./StatusReport.js"

export const modeVariableMeanings = {
  USE_POSTGRES_PRIMARY:
    "PostgreSQL takes every read and write (with USE_POSTGRES_SHADOW=true SQLite keeps receiving the writes, so a " +
    "rollback to SQLite loses nothing)",
  USE_POSTGRES_READ:
    "reads come from PostgreSQL while SQLite stays primary for writes (needs USE_POSTGRES_SHADOW=true)",
  USE_POSTGRES_SHADOW:
    "dual-write: each write committed on the primary is applied to the other database in the background"
} as const

type ModeVariable = keyof typeof modeVariableMeanings

/** The step of the migration guide a mode is. */
export const guidePhase = (mode: Mode): string => {
  if (mode._tag === "Single") {
    return mode.backend === "sqlite"
      ? "SQLite only: phases 1-3, or rolled back"
      : "phase 6: PostgreSQL only (SQLite no longer receives writes)"
  }
  if (mode.primary === "postgres") return "phase 6, rollback-safe: PostgreSQL primary, SQLite kept up to date"
  return mode.reads === "postgres" ? "phase 5: PostgreSQL reads" : "phase 4: shadow writing"
}

const readVariable = (name: ModeVariable) =>
  Effect.gen(function* () {
    const raw = yield* Effect.option(Config.option(Config.string(name)))
    const parsed = yield* Effect.either(flag(name))
    const variable: VariableStatus = {
      name,
      value: Option.getOrNull(Option.flatten(raw)),
      meaning: modeVariableMeanings[name],
      problem: Either.isLeft(parsed) ? configMessage(parsed.left) : null
    }
    return { variable, on: Either.getOrElse(parsed, () => false) }
  })

const describe = (mode: Mode): ModeStatus => {
  const roles =
    mode._tag === "Single"
      ? { primary: mode.backend, shadow: null, reads: mode.backend }
      : { primary: mode.primary, shadow: mode.shadow, reads: mode.reads }
  return { valid: true, description: describeMode(mode), guidePhase: guidePhase(mode), ...roles }
}

/** The three mode variables and the mode they select, read from the current ConfigProvider. */
export const readModeStatus: Effect.Effect<{
  readonly variables: ReadonlyArray<VariableStatus>
  readonly mode: ModeStatus
}> = Effect.gen(function* () {
  const primary = yield* readVariable("USE_POSTGRES_PRIMARY")
  const read = yield* readVariable("USE_POSTGRES_READ")
  const shadow = yield* readVariable("USE_POSTGRES_SHADOW")
  const variables = [primary.variable, read.variable, shadow.variable]
  const problems = variables.flatMap((v) => (v.problem === null ? [] : [v.problem]))
  if (problems.length > 0) {
    return { variables, mode: { valid: false, problem: `no mode is selected: ${problems.join("; ")}` } }
  }
  const mode: ModeStatus = Either.match(selectMode({ primary: primary.on, read: read.on, shadow: shadow.on }), {
    onLeft: (problem): ModeStatus => ({ valid: false, problem }),
    onRight: describe
  })
  return { variables, mode }
})
