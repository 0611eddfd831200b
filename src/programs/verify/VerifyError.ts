/** Verify and repair fail as a whole only when their input is unusable; every database finding is a check result. */
import { Data } from "effect"

export class VerifyError extends Data.TaggedError("VerifyError")<{
  readonly message: string
  readonly cause?: unknown
}> {}

/** Verify ran and a check failed: the report says which; the CLI exits non-zero on this. */
export class VerificationFailed extends Data.TaggedError("VerificationFailed")<{
  readonly failed: ReadonlyArray<string>
}> {
  override get message() {
    return `verification failed: ${this.failed.join(", ")}`
  }
}
