/**
 * The success criteria checked right after the copy. Verify first runs without the rejects list, as an operator
 * would on day one: the rows the copy refused (legacy orphans, values of the wrong type) show up as missing in
 * PostgreSQL, and the demo explains them. Then `repair` (from SQLite, the primary) copies whatever else differs,
 * finds the refused rows refused again, keeps them as recorded rejects, and verifies with them as explained
 * differences: that verify must pass.
 */
import { Effect } from "effect"
import { repair } from "../../repair/Repair.js"
import { renderCheck, verdict } from "../../verify/RenderVerifyReport.js"
import { verify } from "../../verify/Verify.js"
import { bothDatabases, countRows, countsMatch, type DemoDatabaseSettings, migratedUsers } from "../DemoDatabases.js"
import { phaseOutcome } from "../Phase.js"
import { type RejectsTally, tallyRejects } from "../RejectsTally.js"
import { demoVerifyOptions } from "./DemoVerifyOptions.js"

const describeRejects = (tally: RejectsTally) =>
  Object.entries(tally.byKind)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(", ")

export const verifyPhase = (
  settings: DemoDatabaseSettings & { readonly rejectsPath: string; readonly copyRejects: RejectsTally }
) =>
  Effect.gen(function* () {
    const verifyOptions = yield* demoVerifyOptions
    const before = yield* verify({ ...verifyOptions, primary: "sqlite" })
    const failedBefore = before.checks.filter((c) => c.status === "fail")
    const repaired = yield* repair({ ...verifyOptions, primary: "sqlite", rejectsPath: settings.rejectsPath })
    const rejects = yield* tallyRejects(settings.rejectsPath)
    const rows = yield* countRows(rejects.byTable)
    const equal = countsMatch(rows)
    const legacyUsers = yield* migratedUsers(20)
    const sum = (f: (t: (typeof repaired.tables)[number]) => number) => repaired.tables.reduce((n, t) => n + f(t), 0)
    const explanation =
      settings.copyRejects.total === 0
        ? []
        : [
            `why: the copy rejected ${settings.copyRejects.total} rows (${describeRejects(settings.copyRejects)}); ` +
              "without the rejects list verify cannot tell them from lost rows",
            "repair copies from SQLite whatever differs; PostgreSQL refuses the rejected rows again, so they stay " +
              "recorded rejects, which verify then lists as explained differences (warnings), not failures"
          ]
    return phaseOutcome({
      ok: repaired.ok && equal,
      problem: !repaired.ok ? verdict(repaired.verify) : "row counts differ beyond the recorded rejects",
      figures: {
        "verify without the rejects list": verdict(before),
        "rows copied by repair": sum((t) => t.copied),
        "rows refused again (recorded rejects)": sum((t) => t.knownRejects),
        "rows newly recorded as rejects": repaired.rejectsRecorded?.count ?? 0,
        "verify after repair": verdict(repaired.verify),
        "rows equal apart from the rejects": equal
      },
      notes: [
        ...failedBefore.flatMap((c) => renderCheck({ ...c, details: [] }, "before repair: ")),
        ...explanation,
        ...repaired.verify.checks
          .filter((c) => c.status !== "pass")
          .flatMap((c) => renderCheck({ ...c, details: [] }, "after repair:  "))
      ],
      details: { before, repair: repaired },
      value: { rejects, rows, legacyUsers }
    })
  }).pipe(Effect.provide(bothDatabases(settings)))
