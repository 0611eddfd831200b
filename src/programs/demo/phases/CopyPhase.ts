/**
 * Guide phases 2 and 3 in one: `copy`, SQLite straight into PostgreSQL through the migration's own engine (the
 * conversion rules, the staging, the rejects file). Rows PostgreSQL cannot take as they are (legacy orphans,
 * values of the wrong type) are rejected with their reason, never dropped silently.
 */
import { Effect, Layer } from "effect"
import { supportsCopyFromStdin } from "../../embedded/CopyFromStdinSupport.js"
import * as PostgresDatabase from "../../../runtime/layers/PostgresDatabase.js"
import { copyData } from "../../data/CopyData.js"
import * as SqliteSource from "../../data/SqliteSource.js"
import type { DemoDatabaseSettings } from "../DemoDatabases.js"
import { phaseOutcome } from "../Phase.js"
import { retryWhileSlotTaken } from "../Reconnect.js"
import { tallyRejects } from "../RejectsTally.js"

const rejectMeaning: Readonly<Record<string, string>> = {
  orphan: "legacy orphans: their parent row does not exist, PostgreSQL's foreign key refuses them",
  mismatch: "values of the wrong type for their column (SQLite's type affinity let them in)",
  postgres: "rows PostgreSQL refused for another reason (its message is recorded)"
}

export const copyPhase = (settings: DemoDatabaseSettings & { readonly rejectsPath: string }) =>
  Effect.gen(function* () {
    const { sql } = yield* PostgresDatabase.PostgresDatabase
    // Only for the report: the engine itself falls back to INSERTs where COPY FROM STDIN is not available.
    const copyFromStdin = yield* supportsCopyFromStdin(sql)
    const summary = yield* copyData({ rejectsPath: settings.rejectsPath })
    const rejects = yield* tallyRejects(settings.rejectsPath)
    const { totals } = summary
    const accounted = totals.written + totals.skipped + totals.rejected === totals.read
    return phaseOutcome({
      ok: accounted,
      problem: accounted ? undefined : "rows read are not all written, skipped or rejected",
      figures: {
        "rows read": totals.read,
        "rows written": totals.written,
        "rows skipped (already there)": totals.skipped,
        "rows rejected": totals.rejected,
        "values sanitised (U+0000 removed)": totals.sanitized,
        "invalid JSON kept as a JSONB string": totals.invalidJson,
        "rows/s": Math.round(totals.read / Math.max(summary.seconds, 0.001)),
        "load path": copyFromStdin ? "COPY FROM STDIN" : "INSERT batches (this server cannot take COPY FROM STDIN)"
      },
      notes: [
        ...Object.entries(rejects.byKind).map(
          ([kind, n]) => `${n} rejected as ${kind}: ${rejectMeaning[kind] ?? kind}`
        ),
        ...(summary.rejectsFile === null
          ? []
          : [`each rejected row is recorded with its reason in ${summary.rejectsFile}`]),
        ...summary.warnings.map((w) => `warning: ${w}`)
      ],
      details: summary,
      value: { summary, rejects }
    })
  }).pipe(
    Effect.provide(
      Layer.merge(
        SqliteSource.layer(settings.sqlitePath),
        retryWhileSlotTaken(PostgresDatabase.layer({ ...settings.postgres, migrate: false }))
      )
    )
  )
