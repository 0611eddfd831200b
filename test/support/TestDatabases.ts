/**
 * Real databases for tests: a SQLite file in a fresh temp directory, and a PostgreSQL database of its own on
 * the local server (created for the scope, dropped with FORCE after), so runs never collide.
 */
import { Effect, Redacted } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import Pg from "pg"
import type { PostgresOptions, SqliteOptions } from "../../src/runtime/config/DatabaseConfig.js"

/** The server tests run against; the database in it is only used to create and drop per-test databases. */
export const adminUrl = process.env["TEST_POSTGRES_ADMIN_URL"] ?? "postgres://postgres@127.0.0.1:5432/postgres"

export const tempDir = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "omega-db-test-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

export const tempSqlite = (overrides: Partial<SqliteOptions> = {}) =>
  Effect.map(tempDir, (dir): SqliteOptions => ({
    filename: join(dir, "omega.db"),
    busyTimeoutMs: 5000,
    migrate: true,
    ...overrides
  }))

const admin = <A>(f: (client: Pg.Client) => Promise<A>) =>
  Effect.promise(async () => {
    const client = new Pg.Client({ connectionString: adminUrl })
    await client.connect()
    try {
      return await f(client)
    } finally {
      await client.end()
    }
  })

/** A URL to a brand-new database, dropped when the scope closes. */
export const tempPostgresUrl = Effect.acquireRelease(
  Effect.gen(function* () {
    const name = `omega_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
    yield* admin((c) => c.query(`CREATE DATABASE ${name}`))
    const url = new URL(adminUrl)
    url.pathname = `/${name}`
    return { name, url: url.toString() }
  }),
  ({ name }) => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
)

export const tempPostgres = (overrides: Partial<PostgresOptions> = {}) =>
  Effect.map(tempPostgresUrl, ({ url }): PostgresOptions => ({
    url: Redacted.make(url),
    poolSize: 5,
    connectTimeoutMs: 5000,
    migrate: true,
    ...overrides
  }))
