/**
 * An operator's plain run: `copy`, then `verify` and `repair` in the same directory, none told where the rejects
 * are. The copy records the legacy rows PostgreSQL cannot take (orphans, text in a numeric column) in its default
 * file; verify and repair find it there and account for those rows instead of failing on them.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import type { CheckResult, VerifyReport } from "../../src/programs/verify/VerifyReport.js"
import { freshPostgres, legacyDatabase, runCli } from "../migration/support/Fixtures.js"
import { tempDir } from "../support/TestDatabases.js"

const checkOf = (report: VerifyReport, name: CheckResult["name"]) => report.checks.find((c) => c.name === name)!

/** The checks that account for rows present on one side only. */
const accounting = ["row-counts", "content", "foreign-keys"] as const

describe("verify and repair after a plain copy", () => {
  it.scopedLive(
    "find the copy's default rejects file without --rejects and explain the rows it lists",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 300, quirks: true })
        const orphans = legacy.summary.quirks.filter((q) => q.kind === "orphan_row")
        expect(orphans.length).toBeGreaterThan(0)
        const pg = yield* freshPostgres
        const db = ["--sqlite", legacy.path, "--postgres", pg.plainUrl]
        const here = { cwd: legacy.dir }

        expect((yield* runCli(["schema", ...db], here)).code).toBe(0)
        const copied = yield* runCli(["copy", ...db], here)
        // Rows were rejected (exit 2), into the default file of the working directory.
        expect(copied.code).toBe(2)
        const file = join(legacy.dir, "migration-rejects.jsonl")
        const recorded = fs.readFileSync(file, "utf8").split("\n").filter(Boolean)
        for (const orphan of orphans) expect(recorded.some((line) => line.includes(`"key":"${orphan.id}"`))).toBe(true)

        // Elsewhere, without the file, the same differences are unexplained: that is what the file changes.
        const elsewhere = yield* runCli(["verify", ...db, "--json"], { cwd: yield* tempDir })
        expect(elsewhere.code).toBe(1)
        expect(checkOf(JSON.parse(elsewhere.stdout) as VerifyReport, "row-counts").status).toBe("fail")

        const verified = yield* runCli(["verify", ...db, "--json"], here)
        const report = JSON.parse(verified.stdout) as VerifyReport
        for (const name of accounting) {
          expect(checkOf(report, name).status, `${name}: ${checkOf(report, name).details.join("; ")}`).not.toBe("fail")
        }
        const counts = checkOf(report, "row-counts")
        expect(counts.status).toBe("warn")
        expect(counts.details.join("\n")).toMatch(/explained by recorded rejects/)
        expect((counts.data as { rejects: number }).rejects).toBe(recorded.length)

        // repair reads the same file: the rows it cannot copy are known rejects, not new ones, and none is added.
        const repaired = yield* runCli(["repair", ...db, "--json"], here)
        const repair = JSON.parse(repaired.stdout) as {
          tables: ReadonlyArray<{ table: string; unrepairable: number; knownRejects: number }>
          verify: VerifyReport
        }
        expect(repair.tables.reduce((n, t) => n + t.unrepairable, 0)).toBe(0)
        expect(repair.tables.reduce((n, t) => n + t.knownRejects, 0)).toBe(recorded.length)
        for (const name of accounting) expect(checkOf(repair.verify, name).status).not.toBe("fail")
        expect(fs.readFileSync(file, "utf8").split("\n").filter(Boolean)).toEqual(recorded)
      }),
    180_000
  )
})
