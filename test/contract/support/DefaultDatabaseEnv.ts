/**
 * The bot's bare functions run on the package's default database, which reads its configuration from the
 * environment on the first call. A contract test points that environment at a fresh database of one backend for
 * a describe block, closes the default database after it (so the next block opens its own), and can look into the
 * database with plain SQL, as the bot's raw-SQL call sites would.
 */
import { afterAll, beforeAll } from "@effect/vitest"
import Database from "better-sqlite3"
import { Effect, Exit, Scope } from "effect"
import { join } from "node:path"
import Pg from "pg"
import { disposeDatabase } from "../../../src/index.js"
import { tempDir, tempPostgresUrl } from "../../support/TestDatabases.js"

export type BackendName = "sqlite" | "postgres"
export const backends: ReadonlyArray<BackendName> = ["sqlite", "postgres"]

/** Every variable the default database reads for its location and mode. */
const databaseVariables = [
  "USE_POSTGRES_PRIMARY",
  "USE_POSTGRES_READ",
  "USE_POSTGRES_SHADOW",
  "POSTGRES_URL",
  "DATABASE_PUBLIC_URL",
  "DATABASE_URL",
  "SQLITE_PATH"
]

export interface DefaultDatabaseEnv {
  readonly sqlitePath: () => string
  readonly postgresUrl: () => string
}

/**
 * For the enclosing describe block: the default database on a fresh SQLite file, and on a fresh PostgreSQL
 * database as primary (`postgres`) or as shadow (`shadow`).
 */
export const useDefaultDatabase = (setup: BackendName | "shadow"): DefaultDatabaseEnv => {
  let scope: Scope.CloseableScope | undefined
  let saved: NodeJS.ProcessEnv = {}
  let sqlitePath = ""
  let postgresUrl = ""
  beforeAll(async () => {
    saved = { ...process.env }
    scope = Effect.runSync(Scope.make())
    const dir = await Effect.runPromise(Scope.extend(tempDir, scope))
    for (const name of databaseVariables) delete process.env[name]
    sqlitePath = join(dir, "omega.db")
    process.env["SQLITE_PATH"] = sqlitePath
    process.env["SHADOW_HEALTH_INTERVAL_MS"] = "0"
    if (setup !== "sqlite") {
      postgresUrl = (await Effect.runPromise(Scope.extend(tempPostgresUrl, scope))).url
      process.env["POSTGRES_URL"] = postgresUrl
      process.env[setup === "postgres" ? "USE_POSTGRES_PRIMARY" : "USE_POSTGRES_SHADOW"] = "true"
    }
  })
  afterAll(async () => {
    await disposeDatabase()
    process.env = saved
    if (scope !== undefined) await Effect.runPromise(Scope.close(scope, Exit.void))
  })
  return { sqlitePath: () => sqlitePath, postgresUrl: () => postgresUrl }
}

/** Runs one statement on the SQLite file directly (the schema exists once the default database has been used). */
export const sqliteExec = (path: string, sql: string, params: ReadonlyArray<unknown> = []) => {
  const db = new Database(path)
  try {
    const statement = db.prepare(sql)
    return statement.reader
      ? (statement.all(...params) as Array<Record<string, unknown>>)
      : (statement.run(...params), [])
  } finally {
    db.close()
  }
}

/** Runs one statement on the PostgreSQL database directly. */
export const postgresExec = async (url: string, sql: string, params: ReadonlyArray<unknown> = []) => {
  const client = new Pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(sql, [...params])).rows as Array<Record<string, unknown>>
  } finally {
    await client.end()
  }
}

/** Consecutive saves a few milliseconds apart, as the bot makes them: their order by timestamp is then certain. */
export const pause = (ms = 3) => new Promise<void>((resolve) => setTimeout(resolve, ms))
