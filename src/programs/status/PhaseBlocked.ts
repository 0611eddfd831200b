/** `omega-db status` found the current phase blocked: the report is printed, and the command exits 1. */
import { Data } from "effect"

export class PhaseBlocked extends Data.TaggedError("PhaseBlocked")<{ readonly blockers: ReadonlyArray<string> }> {
  override get message() {
    return `the current phase is blocked: ${this.blockers.join("; ")}`
  }
}
