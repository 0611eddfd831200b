/**
 * `status`: what the current environment selects and what the two databases hold, gathered without changing
 * anything and without failing. A database that is missing, unreachable or unreadable is a line of the report,
 * so status is the command to run when something is wrong. Command-line values go in front of the
 * configuration, as for the other commands.
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import type { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Clock, Config, ConfigProvider, Effect, Either, Option, Redacted } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import {
  postgresOptions,
  postgresUrl,
  type SqliteOptions,
  sqliteOptions,
  sqlitePath
} from "../../runtime/config/DatabaseConfig.js"
import type { Backend } from "../../runtime/domain/Errors.js"
import * as PostgresDatabase from "../../runtime/layers/PostgresDatabase.js"
import { workingDirectoryDefault } from "../../runtime/config/SqliteLocation.js"
import * as SqliteDatabase from "../../runtime/layers/SqliteDatabase.js"
import { describeCause, describeError } from "../verify/Describe.js"
import { readShadowMetrics } from "../verify/ShadowMetricsFile.js"
import { configMessage } from "./ConfigMessage.js"
import { readDatabaseState } from "./DatabaseState.js"
import { phaseGate } from "./PhaseGate.js"
import { migrationStage } from "./MigrationStage.js"
import { readModeStatus } from "./ModeStatus.js"
import type {
  DatabaseState,
  OutboxStatus,
  PostgresStatus,
  ShadowDirection,
  ShadowMetricsStatus,
  SqliteStatus,
  StatusReport
} from "./StatusReport.js"

export interface StatusFlags {
  readonly sqlite: Option.Option<string>
  readonly postgres: Option.Option<Redacted.Redacted>
}

/** Status waits this long at most for PostgreSQL to answer, whatever the configured connect timeout. */
const connectTimeoutCapMs = 5000

/** Runs `effect` with the command-line values in front of the current configuration. */
const withFlags =
  (flags: StatusFlags) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => {
    const given = new Map<string, string>()
    if (Option.isSome(flags.sqlite)) given.set("SQLITE_PATH", flags.sqlite.value)
    if (Option.isSome(flags.postgres)) given.set("POSTGRES_URL", Redacted.value(flags.postgres.value))
    return Effect.configProviderWith((current) =>
      Effect.withConfigProvider(effect, ConfigProvider.fromMap(given).pipe(ConfigProvider.orElse(() => current)))
    )
  }

/** Which variable a value came from: the first of `names` that is set. */
const firstSet = (names: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    for (const name of names) {
      const value = yield* Effect.option(Config.string(name))
      if (Option.isSome(value)) return Option.some(name)
    }
    return Option.none<string>()
  })

/** host:port/database, never the credentials. */
export const targetOf = (url: Redacted.Redacted): string => {
  try {
    const parsed = new URL(Redacted.value(url))
    return `${parsed.host}${parsed.pathname}`
  } catch {
    return "(a URL that does not parse)"
  }
}

/**
 * A libSQL (Turso) database, through the runtime's layer without migrations: its pragmas change only the
 * connection, and status reads nothing but the catalogue and counts.
 */
const tursoStatus = (options: SqliteOptions): Effect.Effect<SqliteStatus> =>
  SqliteDatabase.makeSqliteDatabase({ ...options, migrate: false }).pipe(
    Effect.flatMap(({ sql }) => readDatabaseState(sql, "sqlite")),
    Effect.scoped,
    Effect.provide(Reactivity.layer),
    Effect.map((database): SqliteStatus => ({
      state: "ok",
      path: options.filename,
      source: "TURSO_DATABASE_URL",
      database
    })),
    Effect.catchAllCause((cause) =>
      Effect.succeed<SqliteStatus>({
        state: "unreadable",
        path: options.filename,
        source: "TURSO_DATABASE_URL",
        problem: describeCause(cause)
      })
    )
  )

const sqliteStatus = (flags: StatusFlags): Effect.Effect<SqliteStatus> =>
  Effect.gen(function* () {
    const options = yield* Effect.option(sqliteOptions)
    if (Option.isSome(options) && options.value.location?._tag === "Turso") return yield* tursoStatus(options.value)
    const path = yield* Effect.orElseSucceed(sqlitePath, () => join(process.cwd(), workingDirectoryDefault))
    const source = Option.isSome(flags.sqlite)
      ? "--sqlite"
      : Option.getOrElse(yield* firstSet(["SQLITE_PATH"]), () => "default")
    // Status must never create the database it reports on, which opening a missing path would do.
    if (!fs.existsSync(path)) return { state: "missing", path, source } as const
    const read = Effect.gen(function* () {
      // Not the runtime's SqliteDatabase layer: it opens read-write and switches the file to WAL, both writes to
      // a file status only looks at. Read-only, journal mode left as it is.
      const sql: SqlClient.SqlClient = yield* SqliteClient.make({ filename: path, readonly: true, disableWAL: true })
      return yield* readDatabaseState(sql, "sqlite")
    }).pipe(Effect.scoped, Effect.provide(Reactivity.layer))
    return yield* read.pipe(
      Effect.map((database): SqliteStatus => ({ state: "ok", path, source, database })),
      Effect.catchAllCause((cause) =>
        Effect.succeed<SqliteStatus>({ state: "unreadable", path, source, problem: describeCause(cause) })
      )
    )
  })

const postgresStatus = (flags: StatusFlags): Effect.Effect<PostgresStatus> =>
  Effect.gen(function* () {
    const url = yield* Effect.either(postgresUrl)
    if (Either.isLeft(url)) return { state: "invalid-config", problem: configMessage(url.left) } as const
    if (Option.isNone(url.right)) return { state: "not-configured" } as const
    const target = targetOf(url.right.value)
    const source = Option.isSome(flags.postgres)
      ? "--postgres"
      : Option.getOrElse(yield* firstSet(["POSTGRES_URL", "DATABASE_PUBLIC_URL", "DATABASE_URL"]), () => "?")
    const options = yield* Effect.either(postgresOptions)
    if (Either.isLeft(options)) return { state: "invalid-config", problem: configMessage(options.left) } as const
    const open = PostgresDatabase.makePostgresDatabase({
      ...options.right,
      poolSize: 1,
      connectTimeoutMs: Math.min(options.right.connectTimeoutMs, connectTimeoutCapMs),
      migrate: false
    }).pipe(Effect.provide(Reactivity.layer))
    return yield* Effect.scoped(
      Effect.matchEffect(open, {
        onFailure: (error) =>
          Effect.succeed<PostgresStatus>({ state: "unreachable", target, source, problem: describeError(error) }),
        onSuccess: ({ sql }) =>
          Effect.gen(function* () {
            const version = yield* sql<{ version: string }>`SELECT version() AS version`
            const database = yield* readDatabaseState(sql, "postgres")
            const server = (version[0]?.version ?? "").split(" on ")[0] ?? ""
            return { state: "ok", target, source, server, database } satisfies PostgresStatus
          }).pipe(
            Effect.catchAllCause((cause) =>
              Effect.succeed<PostgresStatus>({ state: "unreadable", target, source, problem: describeCause(cause) })
            )
          )
      })
    )
  })

/** The shadow writes from `from`'s outbox to `to`, as far as the two could be read. */
const direction = (
  from: Backend,
  source: DatabaseState | null,
  to: Backend,
  target: DatabaseState | null,
  now: number
): ShadowDirection | null => {
  const outbox = source?.outbox ?? null
  if (outbox === null) return null
  const applied = target?.replica?.applied[outbox.origin]
  const pending = applied === undefined ? outbox.entries : Math.max(0, outbox.head - applied)
  const replica = target?.replica ?? null
  return {
    from,
    to,
    pending,
    // Applied entries are trimmed within a second, so the oldest entry still there is the oldest pending one.
    oldestPendingAgeMs:
      pending === 0 || outbox.oldestRecordedAt === null ? null : Math.max(0, now - outbox.oldestRecordedAt),
    deadLetters: replica === null ? null : (replica.deadLetters[outbox.origin] ?? 0),
    firstDeadLetters: replica?.firstDeadLetters.filter((l) => l.origin === outbox.origin) ?? [],
    applier: outbox.applier?.holder ?? null
  }
}

const outboxOf = (sqlite: SqliteStatus, postgres: PostgresStatus, now: number): OutboxStatus => {
  const s = sqlite.state === "ok" ? sqlite.database : null
  const p = postgres.state === "ok" ? postgres.database : null
  const directions = [direction("sqlite", s, "postgres", p, now), direction("postgres", p, "sqlite", s, now)].filter(
    (d): d is ShadowDirection => d !== null
  )
  return {
    waiting: directions.length === 0 ? null : directions.reduce((n, d) => n + d.pending, 0),
    deadLetters: directions.reduce((n, d) => n + (d.deadLetters ?? 0), 0),
    directions
  }
}

/** The snapshot the bot writes (SHADOW_METRICS_FILE), when the environment names one. */
const shadowMetricsStatus: Effect.Effect<ShadowMetricsStatus> = Effect.gen(function* () {
  const file = yield* Effect.orElseSucceed(Config.option(Config.string("SHADOW_METRICS_FILE")), () =>
    Option.none<string>()
  )
  if (Option.isNone(file) || file.value.trim() === "") return { state: "not-configured" } as const
  const path = file.value
  const now = yield* Clock.currentTimeMillis
  return yield* readShadowMetrics(path).pipe(
    Effect.map((m): ShadowMetricsStatus => ({
      state: "ok",
      file: path,
      writes: m.writes,
      failures: m.failures,
      ageMs: m.writtenAt === undefined ? null : Math.max(0, now - m.writtenAt)
    })),
    Effect.catchAll((error) =>
      Effect.succeed<ShadowMetricsStatus>({ state: "unreadable", file: path, problem: error.message })
    )
  )
})

/** The status report, from the current configuration with `flags` in front. Never fails. */
export const status = (flags: StatusFlags): Effect.Effect<StatusReport> =>
  withFlags(flags)(
    Effect.gen(function* () {
      const { mode, variables } = yield* readModeStatus
      const [sqlite, postgres] = yield* Effect.all([sqliteStatus(flags), postgresStatus(flags)], {
        concurrency: 2
      })
      const outbox = outboxOf(sqlite, postgres, yield* Clock.currentTimeMillis)
      const shadowMetrics = yield* shadowMetricsStatus
      return {
        mode,
        variables,
        sqlite,
        postgres,
        outbox,
        shadowMetrics,
        migration: migrationStage({ mode, sqlite, postgres, outbox }),
        gate: phaseGate({ mode, sqlite, postgres, outbox, shadowMetrics })
      }
    })
  )
