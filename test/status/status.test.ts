/**
 * `omega-db status` for the environments an operator meets: nothing configured, a migration in progress, a
 * typo in a flag, READ without SHADOW, PostgreSQL down. Each is reported as lines of the report, never a crash,
 * and nothing is created or changed by looking.
 */
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Context, Effect, Layer, Option, Redacted } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import { readWithoutShadowMessage } from "../../src/runtime/config/ModeConfig.js"
import { migrationsOf } from "../../src/runtime/schema/runSchemaMigrations.js"
import * as PostgresDatabase from "../../src/runtime/layers/PostgresDatabase.js"
import * as SqliteDatabase from "../../src/runtime/layers/SqliteDatabase.js"
import { generateLegacyDatabase } from "../../src/testkit/LegacyDatabaseGenerator.js"
import { renderStatusText } from "../../src/programs/status/RenderStatus.js"
import { status, type StatusFlags } from "../../src/programs/status/Status.js"
import { tempDir, tempPostgresUrl } from "../support/TestDatabases.js"
import { runCli } from "../migration/support/Fixtures.js"

const noFlags: StatusFlags = { sqlite: Option.none(), postgres: Option.none() }

/** Status as the CLI computes it, with `env` as the whole configuration. */
const statusIn = (env: Record<string, string>, flags: StatusFlags = noFlags) =>
  status(flags).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))

/** A small legacy database, upgraded as the bot upgrades it on start. */
const upgradedSqlite = (dir: string) =>
  Effect.gen(function* () {
    const filename = join(dir, "bot.db")
    yield* generateLegacyDatabase({ path: filename, form: "early", messages: 60 })
    yield* Effect.scoped(Layer.build(SqliteDatabase.layer({ filename, busyTimeoutMs: 1000, migrate: true })))
    return filename
  })

/** Opens a database for the test's scope. */
const open = <I, S>(tag: Context.Tag<I, S>, layer: Layer.Layer<I, unknown>) =>
  Effect.map(Layer.build(layer), (context) => Context.get(context, tag))

describe("omega-db status", () => {
  it.scoped("with nothing configured: SQLite only, PostgreSQL not configured, and no file created", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const missing = join(dir, "nowhere", "omega.db")
      const report = yield* statusIn({ SQLITE_PATH: missing })
      expect(report.mode).toMatchObject({ valid: true, description: "sqlite only", primary: "sqlite", shadow: null })
      expect(report.variables.map((v) => [v.name, v.value, v.problem])).toEqual([
        ["USE_POSTGRES_PRIMARY", null, null],
        ["USE_POSTGRES_READ", null, null],
        ["USE_POSTGRES_SHADOW", null, null]
      ])
      expect(report.sqlite).toEqual({ state: "missing", path: missing, source: "SQLITE_PATH" })
      expect(report.postgres).toEqual({ state: "not-configured" })
      expect(report.outbox.waiting).toBeNull()
      expect(report.migration.stage).toBe("not started: PostgreSQL is not configured")
      // SQLite alone creates its file at start: nothing blocks this phase.
      expect(report.gate).toEqual({ ok: true, blockers: [] })
      const text = renderStatusText(report)
      expect(text).toContain("Mode        sqlite only")
      expect(text).toContain(`SQLite      ${missing} (SQLITE_PATH): no database there`)
      expect(text).toContain("PostgreSQL  not configured (set POSTGRES_URL, DATABASE_PUBLIC_URL or DATABASE_URL")
      expect(text).toContain("dual-write: each write committed on the primary")
      expect(fs.existsSync(missing)).toBe(false)
      expect(fs.existsSync(join(dir, "nowhere"))).toBe(false)
    })
  )

  it.scopedLive("during shadow writing: the guide's phase, both databases, their rows and the outbox", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const sqlitePath = yield* upgradedSqlite(dir)
      const pg = yield* tempPostgresUrl
      const { sql } = yield* open(
        PostgresDatabase.PostgresDatabase,
        PostgresDatabase.layer({ url: Redacted.make(pg.url), poolSize: 1, connectTimeoutMs: 5000, migrate: true })
      )
      yield* sql`INSERT INTO messages (id, user_id, message_content, sender_type, timestamp) VALUES ('m1', 'u', 'hi', 'human', 1)`
      const env = { USE_POSTGRES_SHADOW: "true", SQLITE_PATH: sqlitePath, DATABASE_URL: pg.url }

      const report = yield* statusIn(env)
      expect(report.mode).toMatchObject({
        valid: true,
        description: "sqlite primary, shadow writes to postgres, reads from sqlite",
        guidePhase: "phase 4: shadow writing"
      })
      expect(report.variables.find((v) => v.name === "USE_POSTGRES_SHADOW")?.value).toBe("true")
      if (report.sqlite.state !== "ok" || report.postgres.state !== "ok") throw new Error("both should be readable")
      expect(report.sqlite.database.form).toBe("full")
      expect(report.sqlite.database.pendingMigrations).toEqual([])
      expect(report.sqlite.database.rows.messages).toBeGreaterThanOrEqual(60)
      expect(report.postgres.source).toBe("DATABASE_URL")
      expect(report.postgres.target).toBe(`127.0.0.1:5432/${pg.name}`)
      expect(report.postgres.database.appliedMigrations).toEqual(Object.keys(migrationsOf("postgres")))
      expect(report.postgres.database.rows.messages).toBe(1)
      expect(report.outbox).toMatchObject({ waiting: 0, deadLetters: 0 })
      expect(report.gate).toEqual({ ok: true, blockers: [] })
      expect(report.migration.next).toBe(
        "once the outbox stays near empty and no dead letter appears: USE_POSTGRES_READ=true (phase 5)"
      )
      const text = renderStatusText(report)
      const pgMigrations = Object.keys(migrationsOf("postgres")).length
      expect(text).toContain(`127.0.0.1:5432/${pg.name} (DATABASE_URL): PostgreSQL`)
      expect(text).toContain(`migrations ${pgMigrations}/${pgMigrations} applied`)
      expect(text).toContain("Outbox      sqlite → postgres: nothing waiting; no applier running; no dead letters")

      // Shadow writes committed on SQLite, with no bot applying them: status counts them, with the oldest one's age,
      // and says what to do.
      const sqlite = yield* open(
        SqliteDatabase.SqliteDatabase,
        SqliteDatabase.layer({ filename: sqlitePath, busyTimeoutMs: 1000, migrate: false })
      )
      const twoMinutesAgo = Date.now() - 120_000
      for (const id of ["x", "y"]) {
        yield* sqlite.sql`INSERT INTO shadow_outbox (aggregate_key, operation, payload, recorded_at)
          VALUES (${`message:${id}`}, 'InsertMessage', '{}', ${twoMinutesAgo})`
      }
      const behind = yield* statusIn(env)
      expect(behind.outbox.waiting).toBe(2)
      expect(behind.outbox.directions.find((d) => d.from === "sqlite")).toMatchObject({
        to: "postgres",
        pending: 2,
        deadLetters: 0,
        applier: null
      })
      expect(behind.migration.next).toBe(
        "2 shadow writes wait for postgres and no bot applies them: start the bot, or omega-db repair"
      )
      expect(renderStatusText(behind)).toMatch(/sqlite → postgres: 2 shadow writes waiting, the oldest for 2 min/)
      // The phase's criteria do not hold: the gate names why, and the command exits 1 so a deploy can stop on it.
      expect(behind.gate.ok).toBe(false)
      expect(behind.gate.blockers).toEqual([
        "2 shadow writes wait for postgres and no bot applies them",
        expect.stringMatching(/^the shadow lags: the oldest of 2 pending writes to postgres waits for 12\d s$/)
      ])
      const cli = yield* runCli(["status"], { env })
      expect(cli.code).toBe(1)
      expect(cli.stdout).toContain("Gate        BLOCKED: 2 shadow writes wait for postgres and no bot applies them")
      expect(cli.stderr).toContain("omega-db: the current phase is blocked: 2 shadow writes wait for postgres")
      // Once applied (here: the entries removed, as the applier trims them), the gate opens again.
      yield* sqlite.sql`DELETE FROM shadow_outbox`
      const caughtUp = yield* runCli(["status", "--json"], { env })
      expect(caughtUp.code).toBe(0)
      expect(JSON.parse(caughtUp.stdout)).toMatchObject({ gate: { ok: true, blockers: [] } })
    })
  )

  it.scoped("reads the failure rate from the bot's snapshot (SHADOW_METRICS_FILE) and blocks at 1% or more", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const sqlitePath = yield* upgradedSqlite(dir)
      const pg = yield* tempPostgresUrl
      yield* open(
        PostgresDatabase.PostgresDatabase,
        PostgresDatabase.layer({ url: Redacted.make(pg.url), poolSize: 1, connectTimeoutMs: 5000, migrate: true })
      )
      const file = join(dir, "shadow-health.json")
      const env = {
        USE_POSTGRES_SHADOW: "true",
        SQLITE_PATH: sqlitePath,
        DATABASE_URL: pg.url,
        SHADOW_METRICS_FILE: file
      }
      // What the bot's snapshot holds, among the rest: applied and dead-lettered counts, and when it was written.
      const snapshot = (succeeded: number, failed: number) =>
        fs.writeFileSync(
          file,
          JSON.stringify({ enabled: true, succeeded, failed, journaled: failed, writtenAt: new Date().toISOString() })
        )

      snapshot(995, 5)
      const healthy = yield* statusIn(env)
      expect(healthy.shadowMetrics).toMatchObject({ state: "ok", file, writes: 1000, failures: 5 })
      expect(healthy.gate).toEqual({ ok: true, blockers: [] })
      expect(renderStatusText(healthy)).toMatch(
        /Shadow {6}0\.50% failed \(5 of 1000\), per the bot's snapshot .*, written \d+ ms ago/
      )

      snapshot(980, 20)
      const failing = yield* statusIn(env)
      expect(failing.gate.blockers).toEqual([
        `2.00% of shadow writes failed (20 of 1000, per ${file}): the guide asks for under 1%`
      ])

      fs.rmSync(file)
      const missing = yield* statusIn(env)
      expect(missing.shadowMetrics.state).toBe("unreadable")
      expect(missing.gate.blockers).toEqual([
        expect.stringMatching(
          /^the bot's health snapshot \(SHADOW_METRICS_FILE\) cannot be read: cannot read shadow metrics .*ENOENT/
        )
      ])
    })
  )

  it.scoped("a flag value that is not true/false is reported with the variable, and no mode is claimed", () =>
    Effect.gen(function* () {
      const report = yield* statusIn({ USE_POSTGRES_SHADOW: "ture", SQLITE_PATH: "/nonexistent/omega.db" })
      expect(report.mode).toEqual({
        valid: false,
        problem: 'no mode is selected: USE_POSTGRES_SHADOW must be "true" or "false", got "ture"'
      })
      expect(report.variables.find((v) => v.name === "USE_POSTGRES_SHADOW")).toMatchObject({
        value: "ture",
        problem: 'USE_POSTGRES_SHADOW must be "true" or "false", got "ture"'
      })
      const text = renderStatusText(report)
      expect(text).toContain('Mode        INVALID: no mode is selected: USE_POSTGRES_SHADOW must be "true" or "false"')
      expect(text).toContain('USE_POSTGRES_SHADOW  = "ture"  INVALID:')
      expect(report.gate.ok).toBe(false)
      expect(text).toContain("Gate        BLOCKED: the mode variables are invalid: no mode is selected")
    })
  )

  it.scoped("READ without SHADOW is refused with the reason, the rest of the report still there", () =>
    Effect.gen(function* () {
      const report = yield* statusIn({ USE_POSTGRES_READ: "true", SQLITE_PATH: "/nonexistent/omega.db" })
      expect(report.mode).toEqual({ valid: false, problem: readWithoutShadowMessage })
      expect(report.variables.every((v) => v.problem === null)).toBe(true)
      expect(report.postgres.state).toBe("not-configured")
      expect(renderStatusText(report)).toContain(`Mode        INVALID: ${readWithoutShadowMessage}`)
    })
  )

  it.scoped(
    "PostgreSQL configured but unreachable is a line, not a failure; --postgres wins over the environment",
    () =>
      Effect.gen(function* () {
        const report = yield* statusIn(
          { USE_POSTGRES_PRIMARY: "true", POSTGRES_URL: "postgres://bot:secret@127.0.0.1:5432/postgres" },
          {
            sqlite: Option.some("/nonexistent/omega.db"),
            postgres: Option.some(Redacted.make("postgres://bot:secret@127.0.0.1:1/bot"))
          }
        )
        expect(report.mode).toMatchObject({ valid: true, description: "postgres only" })
        expect(report.sqlite).toMatchObject({ state: "missing", source: "--sqlite" })
        expect(report.postgres).toMatchObject({ state: "unreachable", target: "127.0.0.1:1/bot", source: "--postgres" })
        expect(report.migration).toEqual({
          stage: "unknown: PostgreSQL could not be read",
          next: "check the URL and that the server is up"
        })
        const text = renderStatusText(report)
        expect(text).toMatch(
          /PostgreSQL {2}127\.0\.0\.1:1\/bot \(--postgres\): unreachable: cannot connect to PostgreSQL: .*ECONNREFUSED/
        )
        expect(text).not.toContain("secret")
        expect(report.gate).toMatchObject({ ok: false })
        expect(report.gate.blockers).toEqual([
          expect.stringMatching(/^PostgreSQL \(127\.0\.0\.1:1\/bot\) cannot be read: /)
        ])
      })
  )

  it.scoped("PostgreSQL reachable without the schema: phase 1 is the next step", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const sqlitePath = yield* upgradedSqlite(dir)
      const pg = yield* tempPostgresUrl
      const report = yield* statusIn({ SQLITE_PATH: sqlitePath, POSTGRES_URL: pg.url })
      expect(report.migration).toEqual({
        stage: "phase 1 (schema) not done on PostgreSQL",
        next: "run omega-db schema"
      })
      expect(renderStatusText(report)).toContain("no tables yet (run omega-db schema)")
      // Status only reads: still no table there afterwards.
      const { sql } = yield* open(
        PostgresDatabase.PostgresDatabase,
        PostgresDatabase.layer({ url: Redacted.make(pg.url), poolSize: 1, connectTimeoutMs: 5000, migrate: false })
      )
      const tables = yield* sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`
      expect(tables).toEqual([])
    })
  )
})
