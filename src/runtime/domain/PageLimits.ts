/**
 * Limits and offsets of the document and profile listings, as the bot and its web app pass them (contract K9, F4).
 * Request parsing hands over `NaN` or 0 for "not given", so a missing, null, 0, NaN or non-finite limit means the
 * listing's default, and a missing, null or NaN offset means 0. A negative or fractional value is an error rather
 * than "unlimited" (what SQLite made of a negative LIMIT); a limit above `maxLimit` is clamped to it.
 */
import { Schema } from "effect"

/** The most rows one call returns: above the 1000 profiles the bot asks for at once. */
export const maxLimit = 10_000

const unset = (n: number | null | undefined): n is null | undefined => n === undefined || n === null || Number.isNaN(n)

const MaybeNumber = Schema.Union(Schema.Undefined, Schema.Null, Schema.Number)

/** A limit, decoded to a whole number between 1 and `maxLimit`; "not given" becomes `fallback`. */
export const limitOr = (fallback: number) =>
  Schema.transform(
    MaybeNumber.pipe(
      Schema.filter((n) => unset(n) || !Number.isFinite(n) || n === 0 || (Number.isInteger(n) && n > 0), {
        message: () => "limit must be a positive whole number"
      })
    ),
    Schema.Int,
    {
      strict: true,
      decode: (n) => (unset(n) || !Number.isFinite(n) || n === 0 ? fallback : Math.min(n, maxLimit)),
      encode: (n) => n
    }
  )

/** An offset, decoded to a whole number of rows to skip; "not given" becomes 0. */
export const OffsetInput = Schema.transform(
  MaybeNumber.pipe(
    Schema.filter((n) => unset(n) || (Number.isInteger(n) && n >= 0), {
      message: () => "offset must be a non-negative whole number"
    })
  ),
  Schema.Int,
  { strict: true, decode: (n) => (unset(n) ? 0 : n), encode: (n) => n }
)

/** Struct fields `limit` (default `fallback`) and `offset` (default 0); both may be left out. */
export const pageFields = (fallback: number) => ({
  limit: Schema.optionalWith(limitOr(fallback), { default: () => fallback }),
  offset: Schema.optionalWith(OffsetInput, { default: () => 0 })
})
