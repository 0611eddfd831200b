/**
 * The last word: verify on both databases after the whole round trip, with the copy's rejects as explained
 * differences and the shadow figures of the demo's shadowed phases for the failure-rate criterion.
 */
import { Effect } from "effect"
import type { TableName } from "../../../runtime/domain/Tables.js"
import { renderCheck, verdict } from "../../verify/RenderVerifyReport.js"
import { verify } from "../../verify/Verify.js"
import type { ShadowMetricsSnapshot } from "../../verify/VerifyOptions.js"
import { bothDatabases, countRows, countsMatch, type DemoDatabaseSettings, describeCounts } from "../DemoDatabases.js"
import { phaseOutcome } from "../Phase.js"
import { demoVerifyOptions } from "./DemoVerifyOptions.js"

export const finalVerifyPhase = (
  settings: DemoDatabaseSettings & {
    readonly rejectsPath: string
    readonly rejected: Partial<Record<TableName, number>>
    readonly shadowMetrics: ShadowMetricsSnapshot
  }
) =>
  Effect.gen(function* () {
    const report = yield* verify({
      ...(yield* demoVerifyOptions),
      primary: "sqlite",
      rejectsPath: settings.rejectsPath,
      shadowMetrics: settings.shadowMetrics
    })
    const rows = yield* countRows(settings.rejected)
    const equal = countsMatch(rows)
    const count = (status: string) => report.checks.filter((c) => c.status === status).length
    return phaseOutcome({
      ok: report.ok && equal,
      problem: report.ok ? "row counts differ beyond the recorded rejects" : verdict(report),
      figures: {
        verify: verdict(report),
        "checks passed": count("pass"),
        "warnings (explained differences)": count("warn"),
        "checks failed": count("fail"),
        "same rows on both sides (rejects aside)": equal
      },
      notes: [...report.checks.flatMap((c) => renderCheck({ ...c, details: [] }, "")), ...describeCounts(rows)],
      details: report,
      value: { report, rows }
    })
  }).pipe(Effect.provide(bothDatabases(settings)))
