/**
 * The zero-setup demo of the main job: the migration guide walked end to end on a generated legacy database,
 * every phase with its figures. Schema, copy, verify (and repair), shadow writing under a stream of writes,
 * reads from PostgreSQL, PostgreSQL primary with SQLite as shadow, rollback to SQLite, verify again. It runs on
 * the PostgreSQL it is given (in a database of its own) or, without one, on an embedded PostgreSQL.
 *
 * `runDemo` succeeds with the summary whether or not every phase passed (`summary.ok` says); it fails only when
 * it cannot start (bad options, no work dir, PostgreSQL unreachable).
 */
import { Effect } from "effect"
import { join } from "node:path"
import type { ShadowHealthSnapshot } from "../../runtime/modes/ShadowHealth.js"
import type { DemoDatabaseSettings } from "./DemoDatabases.js"
import { type DemoOptions, resolveDemoOptions } from "./DemoOptions.js"
import { demoPostgres } from "./DemoPostgres.js"
import type { DemoSummary, PhaseReport } from "./DemoSummary.js"
import { postgresPrimaryVariables, readVariables, shadowVariables } from "./ModeEnvironment.js"
import { type PhaseInfo, type PhaseOutcome, runPhase } from "./Phase.js"
import { copyPhase } from "./phases/CopyPhase.js"
import { finalVerifyPhase } from "./phases/FinalVerifyPhase.js"
import { generatePhase } from "./phases/GeneratePhase.js"
import { rollbackPhase } from "./phases/RollbackPhase.js"
import { schemaPhase } from "./phases/SchemaPhase.js"
import { verifyPhase } from "./phases/VerifyPhase.js"
import { writePhase } from "./phases/WritePhase.js"
import { demoWorkDir } from "./WorkDir.js"
import type { WorkloadOptions } from "./Workload.js"

export const phases = {
  generate: {
    id: "generate",
    title: "Generate a legacy SQLite database",
    guide: "the starting point: the bot's database as it is in the field"
  },
  schema: { id: "schema", title: "Create the PostgreSQL schema, upgrade SQLite", guide: "phase 1 (omega-db schema)" },
  copy: { id: "copy", title: "Copy the data into PostgreSQL", guide: "phases 2-3 (omega-db copy)" },
  verify: {
    id: "verify",
    title: "Verify, explain the differences, repair",
    guide: "success criteria (omega-db verify, omega-db repair)"
  },
  shadow: { id: "shadow", title: "Shadow writing under load", guide: "phase 4" },
  read: { id: "read", title: "Reads from PostgreSQL", guide: "phase 5" },
  postgresPrimary: {
    id: "postgres-primary",
    title: "PostgreSQL primary, SQLite as shadow",
    guide: "phase 6, rollback-safe"
  },
  rollback: { id: "rollback", title: "Roll back to SQLite", guide: "rollback plan" },
  finalVerify: { id: "final-verify", title: "Verify after the round trip", guide: "success criteria" }
} as const satisfies Record<string, PhaseInfo>

/** Shadow figures of the shadowed phases, as verify's failure-rate criterion reads them. */
const shadowMetrics = (snapshots: ReadonlyArray<ShadowHealthSnapshot>) => ({
  writes: snapshots.reduce((n, s) => n + s.succeeded + s.journaled + s.unjournaled, 0),
  failures: snapshots.reduce((n, s) => n + s.journaled + s.unjournaled, 0),
  source: "the demo's shadowed phases (4, 5, 6)"
})

export const runDemo = (options: DemoOptions = {}) =>
  Effect.scoped(
    Effect.gen(function* () {
      const started = performance.now()
      const o = yield* resolveDemoOptions(options)
      const workDir = yield* demoWorkDir(o.workDir, o.keep)
      const pg = yield* demoPostgres({ url: o.postgresUrl, workDir, keep: o.keep })
      const settings: DemoDatabaseSettings = {
        sqlitePath: join(workDir, "omega.db"),
        postgres: pg.options,
        embedded: pg.embedded
      }
      const rejectsPath = join(workDir, "migration-rejects.jsonl")
      const reports: Array<PhaseReport> = []
      let final: DemoSummary["final"] = null
      const record = (report: PhaseReport) =>
        Effect.zipRight(
          Effect.sync(() => reports.push(report)),
          o.onPhase(report)
        )
      const phase = <A, E, R>(info: PhaseInfo, body: Effect.Effect<PhaseOutcome<A>, E, R>) =>
        runPhase(reports.length + 1, info, body, record)
      const walk = Effect.gen(function* () {
        yield* phase(phases.generate, generatePhase({ path: settings.sqlitePath, messages: o.messages, seed: o.seed }))
        yield* phase(phases.schema, schemaPhase(settings))
        const copied = yield* phase(phases.copy, copyPhase({ ...settings, rejectsPath }))
        const verified = yield* phase(
          phases.verify,
          verifyPhase({ ...settings, rejectsPath, copyRejects: copied.rejects })
        )
        const rejected = verified.rejects.byTable
        const workload = (label: string, writes: number, readYourWrites = false): WorkloadOptions => ({
          label,
          writes,
          readYourWrites,
          concurrency: o.concurrency,
          legacyUsers: verified.legacyUsers
        })
        const half = Math.max(20, Math.ceil(o.writes / 2))
        const shadow = yield* phase(
          phases.shadow,
          writePhase({
            ...settings,
            variables: shadowVariables,
            rejected,
            workload: workload("shadow", o.writes)
          })
        )
        const read = yield* phase(
          phases.read,
          writePhase({
            ...settings,
            variables: readVariables,
            rejected,
            workload: workload("read", half, true)
          })
        )
        const primary = yield* phase(
          phases.postgresPrimary,
          writePhase({
            ...settings,
            variables: postgresPrimaryVariables,
            rejected,
            workload: workload("pg-primary", half)
          })
        )
        yield* phase(phases.rollback, rollbackPhase({ ...settings, written: primary.result.written, rejected }))
        const last = yield* phase(
          phases.finalVerify,
          finalVerifyPhase({
            ...settings,
            rejectsPath,
            rejected,
            shadowMetrics: shadowMetrics([shadow.snapshot, read.snapshot, primary.snapshot])
          })
        )
        final = { verified: last.report.ok, rows: last.rows }
      })
      yield* walk.pipe(Effect.catchTag("PhaseFailed", () => Effect.void))

      const summary: DemoSummary = {
        ok: reports.length === Object.keys(phases).length && reports.every((r) => r.ok),
        postgres: { embedded: pg.embedded, target: pg.target },
        workDir,
        kept: o.keep || o.workDir !== undefined,
        phases: reports,
        final,
        seconds: Math.round(performance.now() - started) / 1000
      }
      return summary
    })
  )
