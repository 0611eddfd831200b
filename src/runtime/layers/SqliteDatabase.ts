/**
 * The SQLite database: one better-sqlite3 connection in WAL mode with a busy timeout, opened and closed by
 * the layer's scope, its schema upgraded on open. Or, when the configuration names a libSQL database (Turso:
 * TURSO_DATABASE_URL with TURSO_AUTH_TOKEN), an @effect/sql-libsql client on it: the same sqlite dialect, so the
 * same store and the same migrations run over it. Kept under its own tag so that it can sit beside PostgreSQL in
 * one context without the two SQL clients meeting.
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Context, Effect, Layer, Redacted, type Scope } from "effect"
import { dirname } from "node:path"
import { type SqliteOptions, sqliteOptions } from "../config/DatabaseConfig.js"
import { displayUrl, type TursoDatabase } from "../config/SqliteLocation.js"
import { StoreError } from "../domain/Errors.js"
import { makeDirectory } from "../files/OutputLocation.js"
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

/**
 * A libSQL client on `turso`. @effect/sql-libsql (and the libSQL native module under it) is loaded only here, so a
 * bot on a local file never loads it.
 */
const openLibsql = (turso: TursoDatabase, options: SqliteOptions) =>
  Effect.gen(function* () {
    const where = displayUrl(turso.url)
    const fail = openError(where)
    const { LibsqlClient } = yield* Effect.tryPromise({ try: () => import("@effect/sql-libsql"), catch: fail })
    // createClient throws on a URL it cannot use (a defect of the client, a typed error here); it connects lazily,
    // so the first statement is what tells whether the database answers.
    const sql: SqlClient.SqlClient = yield* LibsqlClient.make({
      url: Redacted.value(turso.url),
      authToken: turso.authToken
    }).pipe(Effect.catchAllDefect((defect) => Effect.fail(fail(defect))))
    yield* sql.unsafe("SELECT 1").pipe(Effect.mapError(fail))
    if (Redacted.value(turso.url).startsWith("file:")) {
      // A local file through libSQL: the same lock wait as the better-sqlite3 connection (libSQL's default is 0).
      // libSQL opens a fresh connection after each transaction, which starts without it: writers in other
      // processes can then meet SQLITE_BUSY at once. Remote Turso serialises writes on the server instead.
      yield* sql
        .unsafe(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs))}`)
        .pipe(Effect.mapError(fail))
    }
    // libSQL is built with foreign keys on by default; ask anyway so that new writes obey the parent rules. A server
    // that refuses the pragma is not a reason to stop the bot: its own default then applies.
    yield* sql
      .unsafe("PRAGMA foreign_keys = ON")
      .pipe(
        Effect.catchAll((error) =>
          Effect.logWarning(`libSQL database ${where} refused PRAGMA foreign_keys = ON: ${error.message}`)
        )
      )
    if (options.migrate) yield* runSchemaMigrations("sqlite").pipe(Effect.provideService(SqlClient.SqlClient, sql))
    return { sql, filename: where } satisfies SqliteDatabaseShape
  })

const openFile = (options: SqliteOptions) =>
  Effect.gen(function* () {
    if (options.filename !== ":memory:") {
      yield* Effect.try({
        try: () => makeDirectory(dirname(options.filename)),
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

export const makeSqliteDatabase = (
  options: SqliteOptions
): Effect.Effect<SqliteDatabaseShape, StoreError, Scope.Scope | Reactivity.Reactivity> =>
  options.location?._tag === "Turso" ? openLibsql(options.location, options) : openFile(options)

export const layer = (options: SqliteOptions): Layer.Layer<SqliteDatabase, StoreError> =>
  Layer.scoped(SqliteDatabase, makeSqliteDatabase(options)).pipe(Layer.provide(Reactivity.layer))

export const layerConfig = Layer.unwrapEffect(Effect.map(sqliteOptions, layer))
