/** The status report as an operator reads it: one labelled line per fact, rows side by side. */
import { tables } from "../../runtime/domain/Tables.js"
import { renderTable } from "../render/TextTable.js"
import type {
  DatabaseState,
  OutboxStatus,
  PostgresStatus,
  ShadowMetricsStatus,
  SqliteStatus,
  StatusReport
} from "./StatusReport.js"

const label = (name: string) => name.padEnd(12)
const indent = " ".repeat(12)

const migrations = (state: DatabaseState) => {
  const all = state.appliedMigrations.length + state.pendingMigrations.length
  const pending = state.pendingMigrations.length > 0 ? ` (pending: ${state.pendingMigrations.join(", ")})` : ""
  return `migrations ${state.appliedMigrations.length}/${all} applied${pending}`
}

const sqliteLine = (sqlite: SqliteStatus): string => {
  const where = `${sqlite.path} (${sqlite.source === "default" ? "default path" : sqlite.source})`
  switch (sqlite.state) {
    case "missing":
      return `${where}: no database there (set SQLITE_PATH or pass --sqlite)`
    case "unreadable":
      return `${where}: cannot be read: ${sqlite.problem}`
    case "ok": {
      const db = sqlite.database
      if (db.missingTables.length === tables.length) return `${where}: none of the bot's tables`
      const form = db.form === null ? "not the bot's schema" : `${db.form} legacy form`
      const upgraded = db.appliedMigrations.length === 0 ? "not upgraded yet" : migrations(db)
      return `${where}: ${form}, ${upgraded}`
    }
  }
}

const postgresLine = (postgres: PostgresStatus): string => {
  switch (postgres.state) {
    case "not-configured":
      return "not configured (set POSTGRES_URL, DATABASE_PUBLIC_URL or DATABASE_URL, or pass --postgres)"
    case "invalid-config":
      return `invalid settings: ${postgres.problem}`
    case "unreachable":
      return `${postgres.target} (${postgres.source}): unreachable: ${postgres.problem}`
    case "unreadable":
      return `${postgres.target} (${postgres.source}): connected, but cannot be read: ${postgres.problem}`
    case "ok": {
      const db = postgres.database
      const schema = db.missingTables.length === tables.length ? "no tables yet (run omega-db schema)" : migrations(db)
      return `${postgres.target} (${postgres.source}): ${postgres.server}, ${schema}`
    }
  }
}

const shadowMetricsLine = (metrics: ShadowMetricsStatus): ReadonlyArray<string> => {
  switch (metrics.state) {
    case "not-configured":
      return []
    case "unreadable":
      return [`${metrics.file}: cannot be read: ${metrics.problem}`]
    case "ok": {
      const rate =
        metrics.writes === 0
          ? "no shadow writes counted yet"
          : `${((metrics.failures / metrics.writes) * 100).toFixed(2)}% failed (${metrics.failures} of ${metrics.writes})`
      const written = metrics.ageMs === null ? "" : `, written ${age(metrics.ageMs)} ago`
      return [`${rate}, per the bot's snapshot ${metrics.file}${written}`]
    }
  }
}

const age = (ms: number) =>
  ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`

const outboxLines = (outbox: OutboxStatus): ReadonlyArray<string> => {
  if (outbox.directions.length === 0) return ["none to read (no reachable database has an outbox yet)"]
  return outbox.directions.flatMap((d) => {
    const waiting =
      d.pending === 0
        ? `${d.from} → ${d.to}: nothing waiting`
        : `${d.from} → ${d.to}: ${d.pending} shadow writes waiting, the oldest for ${age(d.oldestPendingAgeMs ?? 0)}`
    const applier = d.applier === null ? "no applier running" : `applied by ${d.applier}`
    const dead =
      d.deadLetters === null
        ? `dead letters unknown (${d.to} unreadable)`
        : d.deadLetters === 0
          ? "no dead letters"
          : `${d.deadLetters} DEAD LETTERS`
    return [
      `${waiting}; ${applier}; ${dead}`,
      ...d.firstDeadLetters.map((l) => `  dead letter #${l.seq}: ${l.operation} ${l.aggregateKey}: ${l.error}`)
    ]
  })
}

const rowsTable = (report: StatusReport): ReadonlyArray<string> => {
  const sqlite = report.sqlite.state === "ok" ? report.sqlite.database.rows : undefined
  const postgres = report.postgres.state === "ok" ? report.postgres.database.rows : undefined
  const anyTable = [sqlite, postgres].some((rows) => rows !== undefined && Object.keys(rows).length > 0)
  if (!anyTable) return []
  const cell = (rows: Partial<Record<string, number>> | undefined, table: string) =>
    rows === undefined ? "-" : (rows[table] ?? "no table")
  const table = renderTable(
    ["table", "sqlite", "postgres"],
    tables.map((t) => [t.name, cell(sqlite, t.name), cell(postgres, t.name)])
  )
  return table.split("\n").map((line, i) => (i === 0 ? `${label("Rows")}${line}` : `${indent}${line}`))
}

export const renderStatusText = (report: StatusReport): string => {
  const width = Math.max(...report.variables.map((v) => v.name.length))
  // Compared with `false`, not tested for truthiness: without strictNullChecks (a consumer's `strict: false`)
  // TypeScript narrows a boolean discriminant only by comparison.
  const mode =
    report.mode.valid === false
      ? [`${label("Mode")}INVALID: ${report.mode.problem}`]
      : [`${label("Mode")}${report.mode.description}`, `${indent}${report.mode.guidePhase}`]
  const variables = report.variables.flatMap((v) => {
    const value = v.value === null ? "(unset)" : JSON.stringify(v.value)
    const problem = v.problem === null ? "" : `  INVALID: ${v.problem}`
    return [`  ${v.name.padEnd(width)} = ${value}${problem}`, `    ${v.meaning}`]
  })
  return [
    ...mode,
    "Variables",
    ...variables,
    "",
    `${label("SQLite")}${sqliteLine(report.sqlite)}`,
    `${label("PostgreSQL")}${postgresLine(report.postgres)}`,
    ...rowsTable(report),
    ...outboxLines(report.outbox).map((line, i) => `${i === 0 ? label("Outbox") : indent}${line}`),
    ...shadowMetricsLine(report.shadowMetrics).map((line) => `${label("Shadow")}${line}`),
    `${label("Migration")}${report.migration.stage}`,
    ...(report.migration.next === null ? [] : [`${label("Next")}${report.migration.next}`]),
    ...(report.gate.ok
      ? [`${label("Gate")}PASS: nothing blocks the current phase (run omega-db verify before a switch)`]
      : report.gate.blockers.map((b, i) => `${i === 0 ? label("Gate") : indent}BLOCKED: ${b}`))
  ].join("\n")
}
