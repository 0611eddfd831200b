/** Input validation at the service boundary: bad input is an `InvalidInput` before any SQL runs. */
import { Effect, ParseResult, Schema } from "effect"
import { InvalidInput } from "../../domain/Errors.js"

export const validate =
  <A, I>(schema: Schema.Schema<A, I>, operation: string) =>
  (input: unknown): Effect.Effect<A, InvalidInput> =>
    Schema.decodeUnknown(schema, { onExcessProperty: "ignore" })(input).pipe(
      Effect.mapError(
        (error) =>
          new InvalidInput({
            operation,
            message: `${operation}: ${ParseResult.TreeFormatter.formatErrorSync(error)}`
          })
      )
    )

export const NonBlankString = (what: string) =>
  Schema.String.pipe(Schema.filter((s) => s.trim().length > 0, { message: () => `${what} must not be empty` }))

export const nowMillis = Effect.clockWith((clock) => clock.currentTimeMillis)
export const nowSeconds = Effect.map(nowMillis, (ms) => Math.floor(ms / 1000))
