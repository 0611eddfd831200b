/**
 * `omega-db status`: the mode the environment selects, what each variable does, both databases, the shadow
 * outbox (pending writes, the oldest one's age, dead letters), where the migration stands and what blocks the
 * current phase. It changes nothing; a database that is missing or unreachable is a line of the report. It exits 1
 * when the current phase is blocked (PhaseGate.ts), so a deploy can be gated on it; 0 otherwise.
 */
import * as Command from "@effect/cli/Command"
import { Effect } from "effect"
import { PhaseBlocked } from "../../status/PhaseBlocked.js"
import { renderStatusText } from "../../status/RenderStatus.js"
import { status } from "../../status/Status.js"
import { shared } from "../Options.js"
import { printSummary } from "../Output.js"

export const statusCommand = Command.make("status", shared, (flags) =>
  status(flags).pipe(
    Effect.tap((report) => printSummary(report, flags.json, renderStatusText)),
    Effect.flatMap((report) =>
      report.gate.ok ? Effect.void : Effect.fail(new PhaseBlocked({ blockers: report.gate.blockers }))
    )
  )
).pipe(
  Command.withDescription(
    "Show the mode the environment selects (USE_POSTGRES_*), what each variable does, both databases, the shadow " +
      "outbox (pending writes, the oldest one's age, dead letters), the migration's progress and what blocks the " +
      "current phase; changes nothing, exits 1 when the phase is blocked"
  )
)
