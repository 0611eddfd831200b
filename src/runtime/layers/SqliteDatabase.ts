/**
 * The SQLite database: one better-sqlite3 connection in WAL mode with a busy timeout, opened and closed by
 * the layer's scope, its schema upgraded on open. Kept under its own tag so that it can sit beside PostgreSQL
 * in one context without the two SQL clients meeting.
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Context, Effect, Layer } from "effect"
import { mkdirSync } from "node:fs"
import { dirname } from "node:path"
import { type SqliteOptions, sqliteOptions } from "../config/DatabaseConfig.js"
import { StoreError } from "../domain/Errors.js"
import { runSchemaMigrations } from "../schema/runSchemaMigrations.js"

export interface SqliteDatabaseShape {
  readonly sql: SqlClient.SqlClient
  readonly filename: string
}

export class SqliteDatabase extends Context.Tag("@repo/database/SqliteDatabase")<
  SqliteDatabase,
  SqliteDatabaseShape
>() {}

const openError = (filename: string) => (cause: unknown) =>
  new StoreError({
    backend: "sqlite",
    operation: "open",
    message: `cannot open SQLite database ${filename}: ${cause instanceof Error ? cause.message : String(cause)}`,
    cause
  })

export const makeSqliteDatabase = (options: SqliteOptions) =>
  Effect.gen(function* () {
    if (options.filename !== ":memory:") {
      yield* Effect.try({
        try: () => mkdirSync(dirname(options.filename), { recursive: true }),
        catch: openError(options.filename)
      })
    }
    // better-sqlite3 throws on open (bad path, not a database): a defect of the client, a typed error here.
    const client = yield* SqliteClient.make({ filename: options.filename }).pipe(
      Effect.catchAllDefect((defect) => Effect.fail(openError(options.filename)(defect)))
    )
    const sql: SqlClient.SqlClient = client
    yield* sql
      .unsafe(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs))}`)
      .pipe(Effect.mapError(openError(options.filename)))
    // better-sqlite3 enables foreign keys by default; say so explicitly: new writes obey the same parent rules as
    // on PostgreSQL (legacy orphans already in the file are left alone, and reported by the migration and verify).
    yield* sql.unsafe("PRAGMA foreign_keys = ON").pipe(Effect.mapError(openError(options.filename)))
    if (options.migrate) yield* runSchemaMigrations("sqlite").pipe(Effect.provideService(SqlClient.SqlClient, sql))
    return { sql, filename: options.filename } satisfies SqliteDatabaseShape
  })

export const layer = (options: SqliteOptions): Layer.Layer<SqliteDatabase, StoreError> =>
  Layer.scoped(SqliteDatabase, makeSqliteDatabase(options)).pipe(Layer.provide(Reactivity.layer))

export const layerConfig = Layer.unwrapEffect(Effect.map(sqliteOptions, layer))
