/**
 * A load that finished with rejected rows. The rows are accounted for (rejects file, summary), but the load is not
 * complete, so the command exits non-zero (2, distinct from a failure, 1) for scripts and CI to notice.
 */
import { Data } from "effect"

export class RowsRejected extends Data.TaggedError("RowsRejected")<{
  readonly rejected: number
  readonly rejectsFile: string | null
}> {
  override get message() {
    return `${this.rejected} rows were not loaded; they are listed with their reasons in ${this.rejectsFile ?? "the rejects file"}`
  }
}
