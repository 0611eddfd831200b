/**
 * Whether the phase the environment selects holds its success criteria, as far as status can tell without running
 * verify: the mode is valid, every database the mode writes to is reachable and on the current schema, and in a
 * shadowed mode the shadow keeps up (no dead letter, no write waiting with nobody applying it, no write older than
 * `maxLagMs` still pending) and, when the bot writes its snapshot (SHADOW_METRICS_FILE), its shadow write failure
 * rate stays under the guide's 1%. `omega-db status` exits non-zero on any blocker, so a deploy can be gated on it.
 * Row-for-row equality and latency are verify's checks; run it before a switch.
 */
import type { ModeStatus, OutboxStatus, PostgresStatus, ShadowMetricsStatus, SqliteStatus } from "./StatusReport.js"

export interface PhaseGate {
  /** True when nothing below blocks the current phase. */
  readonly ok: boolean
  /** What does not hold, one line each, in the order to fix them. */
  readonly blockers: ReadonlyArray<string>
}

/** A shadow write pending longer than this means the shadow does not keep up. */
export const defaultMaxLagMs = 60_000

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`

const sqliteBlockers = (sqlite: SqliteStatus, shadowed: boolean): ReadonlyArray<string> => {
  if (sqlite.state === "unreadable") return [`SQLite (${sqlite.path}) cannot be read: ${sqlite.problem}`]
  if (sqlite.state === "missing") {
    // Alone, the bot creates its file at start; beside PostgreSQL, the data is expected to be there already.
    return shadowed ? [`SQLite (${sqlite.path}) does not exist`] : []
  }
  const db = sqlite.database
  return db.missingTables.length > 0 && shadowed ? [`SQLite lacks tables: ${db.missingTables.join(", ")}`] : []
}

const postgresBlockers = (postgres: PostgresStatus): ReadonlyArray<string> => {
  switch (postgres.state) {
    case "not-configured":
      return ["the mode uses PostgreSQL but no URL is set (POSTGRES_URL, DATABASE_PUBLIC_URL or DATABASE_URL)"]
    case "invalid-config":
      return [`the PostgreSQL settings are invalid: ${postgres.problem}`]
    case "unreachable":
    case "unreadable":
      return [`PostgreSQL (${postgres.target}) cannot be read: ${postgres.problem}`]
    case "ok": {
      const db = postgres.database
      return db.missingTables.length > 0 || db.pendingMigrations.length > 0
        ? ["the PostgreSQL schema is not current: run omega-db schema"]
        : []
    }
  }
}

const shadowBlockers = (outbox: OutboxStatus, maxLagMs: number): ReadonlyArray<string> =>
  outbox.directions.flatMap((d) => [
    ...((d.deadLetters ?? 0) > 0
      ? [`${d.deadLetters} dead letters from ${d.from} wait in ${d.to}: fix their cause, then omega-db repair`]
      : []),
    ...(d.pending > 0 && d.applier === null
      ? [`${d.pending} shadow writes wait for ${d.to} and no bot applies them`]
      : []),
    ...(d.pending > 0 && d.oldestPendingAgeMs !== null && d.oldestPendingAgeMs > maxLagMs
      ? [
          `the shadow lags: the oldest of ${d.pending} pending writes to ${d.to} waits for ${seconds(d.oldestPendingAgeMs)}`
        ]
      : [])
  ])

/** The guide's success criterion for shadow writes: fewer than 1% fail. */
export const maxFailureRate = 0.01

const failureRateBlockers = (metrics: ShadowMetricsStatus | undefined): ReadonlyArray<string> => {
  if (metrics === undefined || metrics.state === "not-configured") return []
  if (metrics.state === "unreadable") {
    return [`the bot's health snapshot (SHADOW_METRICS_FILE) cannot be read: ${metrics.problem}`]
  }
  const rate = metrics.writes === 0 ? 0 : metrics.failures / metrics.writes
  return rate >= maxFailureRate
    ? [
        `${(rate * 100).toFixed(2)}% of shadow writes failed (${metrics.failures} of ${metrics.writes}, per ${metrics.file}): ` +
          `the guide asks for under ${maxFailureRate * 100}%`
      ]
    : []
}

export const phaseGate = (
  parts: {
    readonly mode: ModeStatus
    readonly sqlite: SqliteStatus
    readonly postgres: PostgresStatus
    readonly outbox: OutboxStatus
    readonly shadowMetrics?: ShadowMetricsStatus
  },
  maxLagMs: number = defaultMaxLagMs
): PhaseGate => {
  const { mode, sqlite, postgres, outbox, shadowMetrics } = parts
  // Compared with `false`: a consumer's `strict: false` narrows a boolean discriminant only by comparison.
  if (mode.valid === false) return { ok: false, blockers: [`the mode variables are invalid: ${mode.problem}`] }
  const usesSqlite = mode.primary === "sqlite" || mode.shadow === "sqlite"
  const usesPostgres = mode.primary === "postgres" || mode.shadow === "postgres"
  const shadowed = mode.shadow !== null
  const blockers = [
    ...(usesSqlite ? sqliteBlockers(sqlite, shadowed) : []),
    ...(usesPostgres ? postgresBlockers(postgres) : []),
    ...(shadowed ? shadowBlockers(outbox, maxLagMs) : []),
    ...(shadowed ? failureRateBlockers(shadowMetrics) : [])
  ]
  return { ok: blockers.length === 0, blockers }
}
