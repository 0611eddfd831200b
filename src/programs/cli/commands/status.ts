/**
 * `omega-db status`: the mode the environment selects, what each variable does, both databases, the shadow
 * outbox (pending writes, the oldest one's age, dead letters) and where the migration stands. It changes nothing, and a database that is missing or unreachable is
 * a line of the report rather than a failure, so it always exits 0 (argument errors aside).
 */
import * as Command from "@effect/cli/Command"
import { Effect } from "effect"
import { renderStatusText } from "../../status/RenderStatus.js"
import { status } from "../../status/Status.js"
import { shared } from "../Options.js"
import { printSummary } from "../Output.js"

export const statusCommand = Command.make("status", shared, (flags) =>
  status(flags).pipe(Effect.flatMap((report) => printSummary(report, flags.json, renderStatusText)))
).pipe(
  Command.withDescription(
    "Show the mode the environment selects (USE_POSTGRES_*), what each variable does, both databases, the shadow " +
      "outbox (pending writes, the oldest one's age, dead letters) and the migration's progress; changes nothing"
  )
)
