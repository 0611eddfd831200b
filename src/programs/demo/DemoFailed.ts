/** The demo ran, and a phase did not pass: the command exits non-zero after printing what happened. */
import { Data } from "effect"

export class DemoFailed extends Data.TaggedError("DemoFailed")<{
  readonly phase: string
  readonly reason: string
}> {
  override get message() {
    return `the demo failed at "${this.phase}": ${this.reason}`
  }
}
