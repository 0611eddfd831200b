/**
 * The PostgreSQL URL, checked before anything connects and refused naming where it came from (`--postgres`,
 * POSTGRES_URL, DATABASE_PUBLIC_URL, DATABASE_URL): node-postgres takes any string as a connection string ("not a
 * url" becomes the host "base", looked up in DNS), so a typo would end as `getaddrinfo ENOTFOUND base`. The URL is
 * never echoed: it may hold a password.
 */
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import { Config, Data, Effect, Option, Redacted } from "effect"

/** A setting the command cannot run with, named as the operator gave it (a flag or a variable). */
export class InvalidSetting extends Data.TaggedError("InvalidSetting")<{
  readonly setting: string
  readonly message: string
}> {}

const expected = "expected postgres://user:password@host:port/database (or postgresql://)"

/** Why `text` is not a URL node-postgres can connect to, or undefined when it is one. */
export const postgresUrlProblem = (text: string): string | undefined => {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return "it is not a URL"
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    return `it starts with ${url.protocol}// rather than postgres:// or postgresql://`
  }
  // A Unix socket is named by `?host=/path` rather than in the authority.
  if (url.hostname === "" && !url.searchParams.has("host")) return "it names no host"
  return undefined
}

const refusal = (setting: string, problem: string) => `${setting} is not a PostgreSQL URL (${problem}): ${expected}`

/** `--postgres URL` (or another flag name), refused at parse time unless it is a PostgreSQL URL. */
export const postgresUrlOption = (name: string): Options.Options<Redacted.Redacted> =>
  Options.redacted(name).pipe(
    Options.mapEffect((url) => {
      const problem = postgresUrlProblem(Redacted.value(url))
      return problem === undefined
        ? Effect.succeed(url)
        : Effect.fail(ValidationError.invalidValue(HelpDoc.p(`omega-db: ${refusal(`--${name}`, problem)}`)))
    })
  )

/** The variables the URL is read from when no flag gives it, in the order the configuration reads them. */
export const postgresUrlVariables = ["POSTGRES_URL", "DATABASE_PUBLIC_URL", "DATABASE_URL"] as const

/**
 * Fails with InvalidSetting when the URL the configuration would use is not a PostgreSQL URL. A URL given by flag
 * was checked when the arguments were parsed; an unset one is left to the configuration's own error.
 */
export const checkPostgresUrl = (flag: Option.Option<Redacted.Redacted>): Effect.Effect<void, InvalidSetting> =>
  Effect.gen(function* () {
    if (Option.isSome(flag)) return
    for (const name of postgresUrlVariables) {
      const value = yield* Effect.orElseSucceed(Config.option(Config.redacted(name)), () => Option.none())
      if (Option.isNone(value)) continue
      const problem = postgresUrlProblem(Redacted.value(value.value))
      if (problem !== undefined) return yield* new InvalidSetting({ setting: name, message: refusal(name, problem) })
      return
    }
  })
