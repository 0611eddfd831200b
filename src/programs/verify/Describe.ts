/** One-line reasons for reports: what the database said, not a stack trace. */
import { Cause } from "effect"

/**
 * The message of an error. An @effect/sql `SqlError` says only "Failed to execute statement": the driver's
 * message it wraps is the one worth showing. Our own errors (StoreError, ...) already carry a complete message.
 */
export const describeError = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error)
  const inner = (error as { cause?: unknown }).cause
  if ((error as { _tag?: unknown })._tag === "SqlError" && inner instanceof Error && inner.message) return inner.message
  return error.message
}

/** The message of whatever stopped an effect: its typed failure, or the first line of a defect. */
export const describeCause = (cause: Cause.Cause<unknown>): string => {
  const failure = Cause.failureOption(cause)
  if (failure._tag === "Some") return describeError(failure.value)
  return Cause.pretty(cause).split("\n")[0] ?? "unknown error"
}
