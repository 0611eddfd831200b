/**
 * The demo, as `npx omega-db demo` runs it with nothing configured: every phase of the guide on an embedded
 * PostgreSQL, printed as it goes, ending with both databases verified equal. Also on the real server (COPY fast
 * path, in a database of its own that is dropped afterwards), and how a failing phase stops the walk-through.
 */
import { describe, expect, it } from "@effect/vitest"
import { Data, Effect, Logger, LogLevel, Redacted } from "effect"
import Pg from "pg"
import { copyLine } from "../../src/programs/data/CopyText.js"
import { phases, runDemo } from "../../src/programs/demo/Demo.js"
import type { PhaseReport } from "../../src/programs/demo/DemoSummary.js"
import { decodeCopyText } from "../../src/programs/data/InsertFallback.js"
import { PhaseFailed, runPhase } from "../../src/programs/demo/Phase.js"
import { renderPhase, renderVerdict } from "../../src/programs/demo/RenderDemo.js"
import { adminUrl } from "../support/TestDatabases.js"

const phaseIds = Object.values(phases).map((p) => p.id)

/** The bot's layers log their progress at info; the figures are what these tests look at. */
const quiet = Logger.withMinimumLogLevel(LogLevel.Warning)

const databaseExists = (name: string) =>
  Effect.promise(async () => {
    const client = new Pg.Client({ connectionString: adminUrl })
    await client.connect()
    try {
      return (await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1
    } finally {
      await client.end()
    }
  })

describe("omega-db demo", () => {
  it.live(
    "walks the whole guide on an embedded PostgreSQL and ends with both databases verified equal",
    () =>
      Effect.gen(function* () {
        const printed: Array<string> = []
        const summary = yield* runDemo({
          messages: 500,
          writes: 200,
          onPhase: (phase) => Effect.sync(() => printed.push(renderPhase(phase, phaseIds.length)))
        }).pipe(quiet)
        expect(summary.phases.map((p) => [p.id, p.ok, p.error])).toEqual(phaseIds.map((id) => [id, true, undefined]))
        expect(summary.ok).toBe(true)
        expect(summary.postgres.embedded).toBe(true)
        expect(summary.kept).toBe(false)

        const figures = (id: string) => summary.phases.find((p) => p.id === id)!.figures
        // The legacy quirks are there, refused by the copy with reasons, and explained rather than hidden.
        expect(figures("generate")["quirks planted"]).toBeGreaterThan(0)
        expect(figures("copy")["load path"]).toMatch(/^INSERT batches/)
        expect(figures("copy")["rows rejected"]).toBeGreaterThan(0)
        expect(figures("verify")["verify without the rejects list"]).toMatch(/^verify FAILED/)
        expect(figures("verify")["verify after repair"]).toMatch(/^verify PASSED/)
        for (const id of ["shadow", "read", "postgres-primary"]) {
          expect(figures(id)["failed writes"]).toBe(0)
          expect(figures(id)["shadow journal"]).toBe(0)
          expect(figures(id)["shadow failure rate"]).toBe("0.00%")
        }
        expect(figures("shadow")["writes through the services"]).toBe(200)
        expect(figures("read")["read-your-writes"]).toMatch(/^(\d+) of \1 messages read back at once$/)
        expect(figures("read")["reads served by PostgreSQL"]).toBeGreaterThan(0)
        const rollback = summary.phases.find((p) => p.id === "rollback")!
        expect(rollback.mode).toBe("sqlite only")
        for (const found of Object.values(rollback.figures).filter((v) => typeof v === "string" && / of /.test(v))) {
          expect(found).toMatch(/^(\d+) of \1$/)
        }
        expect(figures("final-verify")["checks failed"]).toBe(0)

        expect(summary.final?.verified).toBe(true)
        const rows = summary.final?.rows ?? []
        expect(rows).toHaveLength(6)
        for (const r of rows) expect(r.sqlite - r.rejected).toBe(r.postgres)
        expect(rows.find((r) => r.table === "messages")!.postgres).toBeGreaterThan(500)

        expect(printed).toHaveLength(phaseIds.length)
        expect(printed[4]).toContain("env: USE_POSTGRES_SHADOW=true")
        expect(printed[8]).toMatch(/^\[9\/9\] Verify after the round trip .* PASS/)
        expect(renderVerdict(summary, phaseIds.length)).toMatch(/^Demo PASSED: 9 of 9 phases .* verified equal/)
      }),
    120_000
  )

  it.live(
    "on a configured server: the COPY fast path, in a database of its own that is dropped afterwards",
    () =>
      Effect.gen(function* () {
        const summary = yield* runDemo({ messages: 300, writes: 100, postgresUrl: Redacted.make(adminUrl) }).pipe(quiet)
        expect(summary.phases.map((p) => p.ok)).toEqual(phaseIds.map(() => true))
        expect(summary.postgres.embedded).toBe(false)
        expect(summary.phases.find((p) => p.id === "copy")!.figures["load path"]).toMatch(/^COPY FROM STDIN/)
        const database = /\/(omega_demo_\w+)$/.exec(summary.postgres.target)?.[1]
        expect(database).toBeDefined()
        expect(yield* databaseExists(database!)).toBe(false)
      }),
    120_000
  )

  it.live("refuses sizes it cannot run with before starting anything", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(runDemo({ messages: 10 }))
      expect(error.message).toBe("messages must be an integer of at least 50, got 10")
    })
  )
})

describe("demo phases", () => {
  it.effect("a phase that fails is reported with its reason, and stops the walk-through", () =>
    Effect.gen(function* () {
      const reports: Array<PhaseReport> = []
      const record = (report: PhaseReport) => Effect.sync(() => reports.push(report))
      const info = { id: "copy", title: "Copy", guide: "phases 2-3" } as const
      const crashed = yield* Effect.flip(
        runPhase(3, info, Effect.fail(new Data.Error({ message: "connection refused" })), record)
      )
      expect(crashed).toBeInstanceOf(PhaseFailed)
      const failedCheck = yield* Effect.flip(
        runPhase(
          4,
          { ...info, id: "verify", title: "Verify" },
          Effect.succeed({ ok: false, problem: "2 rows differ", figures: { differences: 2 }, value: undefined }),
          record
        )
      )
      expect(failedCheck.report.error).toBe("2 rows differ")
      expect(reports.map((r) => [r.step, r.id, r.ok, r.error])).toEqual([
        [3, "copy", false, "connection refused"],
        [4, "verify", false, "2 rows differ"]
      ])
      expect(renderPhase(reports[1]!, 9)).toContain("FAILED: 2 rows differ")
      const passed = yield* runPhase(
        5,
        { ...info, id: "shadow" },
        Effect.succeed({ ok: true, figures: {}, value: 7 }),
        record
      )
      expect(passed).toBe(7)
    })
  )

  it.effect("the INSERT fallback reads COPY text exactly as COPY would", () =>
    Effect.sync(() => {
      const rows = [
        ["a\tb", null, "line\nbreak", "back\\slash", ""],
        ["\\N is text here", '{"k": [1, 2]}', "t", "\r", "plain"]
      ]
      const payload = Buffer.from(rows.map(copyLine).join(""), "utf8")
      expect(decodeCopyText(payload)).toEqual(rows)
    })
  )
})
