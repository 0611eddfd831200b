/**
 * Fixtures of the data migration tests: generated legacy SQLite files, layers over them and over a fresh
 * PostgreSQL database, table dumps to compare two loads, and the CLI run as a child process (as an operator runs it).
 */
import Database from "better-sqlite3"
import { Effect, Layer, Redacted } from "effect"
import { spawn } from "node:child_process"
import { join } from "node:path"
import Pg from "pg"
import type { PostgresOptions } from "../../../src/runtime/config/DatabaseConfig.js"
import { tables } from "../../../src/runtime/domain/Tables.js"
import * as PostgresDatabase from "../../../src/runtime/layers/PostgresDatabase.js"
import { generateLegacyDatabase } from "../../../src/testkit/LegacyDatabaseGenerator.js"
import * as SqliteSource from "../../../src/programs/data/SqliteSource.js"
import { tempDir, tempPostgresUrl } from "../../support/TestDatabases.js"

export const repoRoot = join(import.meta.dirname, "..", "..", "..")

/** A generated legacy database in a fresh temp directory. */
export const legacyDatabase = (options: {
  readonly messages: number
  readonly form?: "full" | "early"
  readonly quirks?: boolean
  readonly affinityNumbers?: boolean
  readonly seed?: number
}) =>
  Effect.gen(function* () {
    const dir = yield* tempDir
    const summary = yield* generateLegacyDatabase({
      path: join(dir, "legacy.db"),
      form: options.form ?? "full",
      messages: options.messages,
      quirks: options.quirks ?? false,
      affinityNumbers: options.affinityNumbers ?? false,
      ...(options.seed === undefined ? {} : { seed: options.seed })
    }).pipe(Effect.orDie)
    return { dir, path: summary.path, summary }
  })

/** Options for a fresh PostgreSQL database of the test scope (schema applied on open). */
export const freshPostgres = Effect.map(
  tempPostgresUrl,
  ({ url }): PostgresOptions & { readonly plainUrl: string } => ({
    url: Redacted.make(url),
    plainUrl: url,
    poolSize: 8,
    connectTimeoutMs: 5000,
    migrate: true
  })
)

export const postgresLayer = (options: PostgresOptions) => PostgresDatabase.layer(options)

export const copyLayers = (sqlitePath: string, options: PostgresOptions) =>
  Layer.merge(SqliteSource.layer(sqlitePath), PostgresDatabase.layer(options))

/** Runs `f` with a plain client on `url`. */
export const withClient = <A>(url: string, f: (client: Pg.Client) => Promise<A>) =>
  Effect.promise(async () => {
    const client = new Pg.Client({ connectionString: url })
    await client.connect()
    try {
      return await f(client)
    } finally {
      await client.end()
    }
  })

/** Every table as sorted JSON rows: two loads ended in the same data exactly when their dumps are equal. */
export const dump = (url: string) =>
  withClient(url, async (client) => {
    const out: Record<string, ReadonlyArray<string>> = {}
    for (const table of tables) {
      const result = await client.query<{ row: string }>(
        `SELECT row_to_json(t)::text AS row FROM ${table.name} t ORDER BY id COLLATE "C"`
      )
      out[table.name] = result.rows.map((r) => r.row)
    }
    return out
  })

/** Row versions (xmin) by id: unchanged after a rerun means no row was rewritten. */
export const rowVersions = (url: string) =>
  withClient(url, async (client) => {
    const out: Record<string, string> = {}
    for (const table of tables) {
      const result = await client.query<{ id: string; v: string }>(`SELECT id, xmin::text AS v FROM ${table.name}`)
      for (const r of result.rows) out[`${table.name}/${r.id}`] = r.v
    }
    return out
  })

/** Every index of the public schema, as its definition: two loads ended with the same indexes when equal. */
export const indexDefinitions = (url: string) =>
  withClient(url, async (client) =>
    (
      await client.query<{ d: string }>(`SELECT indexdef AS d FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`)
    ).rows.map((r) => r.d)
  )

/** Whether the bookkeeping table of deferred indexes exists, and its rows. */
export const deferredIndexRecords = (url: string) =>
  withClient(url, async (client) => {
    const exists = (await client.query(`SELECT to_regclass('omega_deferred_indexes') IS NOT NULL AS e`)).rows[0].e
    return exists
      ? (await client.query<{ index_name: string }>(`SELECT index_name FROM omega_deferred_indexes`)).rows.map(
          (r) => r.index_name
        )
      : undefined
  })

export const countRows = (url: string, table: string) =>
  withClient(url, async (client) => Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n))

/** Runs SQL on a SQLite file (for planting values the generator does not). */
export const withSqlite = <A>(path: string, f: (db: Database.Database) => A) =>
  Effect.sync(() => {
    const db = new Database(path)
    try {
      return f(db)
    } finally {
      db.close()
    }
  })

export interface CliResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

export interface CliOptions {
  readonly env?: Record<string, string>
  readonly cwd?: string
  /** Killed (SIGKILL) after this long, so a command that hangs fails its test instead of hanging it. */
  readonly timeoutMs?: number
  /** Run as this user and group (a test running as root needs another user for permissions to apply). */
  readonly uid?: number
  readonly gid?: number
}

/** The CLI as an operator runs it: `node bin/omega-db.js ...args`, without the test's database configuration. */
export const runCli = (args: ReadonlyArray<string>, options: CliOptions = {}) =>
  Effect.async<CliResult>((resume) => {
    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries(process.env)) {
      if (v !== undefined && !/^(POSTGRES_URL|DATABASE_PUBLIC_URL|DATABASE_URL|SQLITE_PATH)$/.test(k)) env[k] = v
    }
    const child = spawn(process.execPath, [join(repoRoot, "bin", "omega-db.js"), ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid })
    })
    const timer =
      options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), options.timeoutMs)
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d) => (stdout += String(d)))
    child.stderr.on("data", (d) => (stderr += String(d)))
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      resume(Effect.succeed({ code, signal, stdout, stderr }))
    })
    return Effect.sync(() => child.kill("SIGKILL"))
  })

/** Starts the CLI and returns the child, for tests that kill it. */
export const startCli = (args: ReadonlyArray<string>, options: { readonly cwd?: string } = {}) =>
  spawn(process.execPath, [join(repoRoot, "bin", "omega-db.js"), ...args], {
    cwd: options.cwd ?? repoRoot,
    stdio: ["ignore", "pipe", "pipe"]
  })
