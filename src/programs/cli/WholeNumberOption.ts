/**
 * Whole-number flags that name themselves and their range when refused (`--batch-size must be a whole number of
 * at least 1, got 0`): @effect/cli's own refusals name neither (a schema's failure tree, or "'x' is not a integer").
 */
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import { Effect } from "effect"

export interface WholeNumberRange {
  readonly min: number
  readonly max?: number | undefined
}

const figure = (n: number) => n.toLocaleString("en-US")

/** "of at least 1", "from 1 to 6": as the help and the refusal say it. */
export const describeRange = ({ max, min }: WholeNumberRange): string =>
  max === undefined ? `of at least ${figure(min)}` : `from ${figure(min)} to ${figure(max)}`

/** The value of `--name` as given on the command line, or why it is refused (one line, printed by @effect/cli). */
export const parseWholeNumber = (name: string, range: WholeNumberRange, text: string) => {
  const trimmed = text.trim()
  const value = /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN
  return Number.isSafeInteger(value) && value >= range.min && (range.max === undefined || value <= range.max)
    ? Effect.succeed(value)
    : Effect.fail(
        ValidationError.invalidValue(
          HelpDoc.p(
            `omega-db: --${name} must be a whole number ${describeRange(range)}, got ${trimmed === "" ? '""' : trimmed}`
          )
        )
      )
}

/** `--name N`, refused with its name and range unless N is a whole number in `range`. */
export const wholeNumber = (name: string, range: WholeNumberRange): Options.Options<number> =>
  Options.text(name).pipe(
    Options.withPseudoName("integer"),
    Options.mapEffect((text) => parseWholeNumber(name, range, text))
  )
