/**
 * What the fault tests do after the fault: start the bot's own layer again on the same databases (as a restart
 * would, no operator action), wait for the shadow to hold every committed write, and look into both databases.
 */
import { Duration, Effect, Layer, Redacted } from "effect"
import type { Mode } from "../../../src/runtime/config/Mode.js"
import type { ShadowOptions } from "../../../src/runtime/config/ShadowOptions.js"
import * as PostgresDatabase from "../../../src/runtime/layers/PostgresDatabase.js"
import * as SqliteDatabase from "../../../src/runtime/layers/SqliteDatabase.js"
import { databaseLayer } from "../../../src/runtime/modes/DatabaseLayer.js"
import { ShadowHealth, type ShadowHealthSnapshot } from "../../../src/runtime/modes/ShadowHealth.js"
import { verify } from "../../../src/programs/verify/Verify.js"
import type { VerifyReport } from "../../../src/programs/verify/VerifyReport.js"
import { dumpTables } from "./ModeFixtures.js"

export interface Files {
  readonly sqliteFile: string
  readonly pgUrl: string
}

/** The bot's layer for `mode` on `files` (the shadow opened in the background, as in the bot). */
export const botLayer = (mode: Mode, files: Files, shadow: ShadowOptions, pgUrl = files.pgUrl) =>
  databaseLayer(mode, {
    sqlite: { filename: files.sqliteFile, busyTimeoutMs: 5000, migrate: true },
    postgres: { url: Redacted.make(pgUrl), poolSize: 5, connectTimeoutMs: 2000, migrate: true },
    shadow
  })

/** Both databases opened directly (no mode), to read them. */
export const bothDatabases = (files: Files) =>
  Layer.merge(
    SqliteDatabase.layer({ filename: files.sqliteFile, busyTimeoutMs: 5000, migrate: true }),
    PostgresDatabase.layer({ url: Redacted.make(files.pgUrl), poolSize: 2, connectTimeoutMs: 2000, migrate: true })
  )

/** verify's checks of the data itself (not of query plans or latency) that failed, with their figures. */
export const dataChecksFailing = (report: VerifyReport) =>
  report.checks
    .filter((c) => c.status === "fail" && c.name !== "query-plans" && c.name !== "read-latency")
    .map((c) => `${c.name}: ${c.figure}`)

export interface AfterRestart {
  readonly flushed: boolean
  readonly health: ShadowHealthSnapshot
  readonly sqlite: Record<string, ReadonlyArray<unknown>>
  readonly postgres: Record<string, ReadonlyArray<unknown>>
  readonly verify: VerifyReport
}

/** Restarts the bot's layer, lets the shadow catch up, and reads both databases and verify's report. */
export const restartAndCompare = (mode: Mode, files: Files, shadow: ShadowOptions) =>
  Effect.scoped(
    Effect.gen(function* () {
      const ctx = yield* Layer.build(botLayer(mode, files, shadow))
      const health = yield* Effect.provide(ShadowHealth, ctx)
      const flushed = yield* health.flush(Duration.seconds(60))
      const snapshot = yield* health.snapshot
      const opened = yield* Layer.build(bothDatabases(files))
      const sqlite = yield* Effect.provide(dumpTables("sqlite"), opened)
      const postgres = yield* Effect.provide(dumpTables("postgres"), opened)
      const report = yield* verify({ primary: "sqlite", pageSize: 200, latencyRuns: 3, searchSamples: 3 }).pipe(
        Effect.provide(opened)
      )
      return { flushed, health: snapshot, sqlite, postgres, verify: report } satisfies AfterRestart
    })
  )
