/**
 * The PostgreSQL database: a node-postgres pool we build ourselves (so bulk loading can take raw connections for
 * COPY), handed to @effect/sql-pg, opened and ended by the layer's scope, its schema migrated on open.
 * BIGINT and NUMERIC come back as numbers: callers never see numeric strings.
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Context, Effect, Layer, Redacted } from "effect"
import Pg from "pg"
import { type PostgresOptions, postgresOptions } from "../config/DatabaseConfig.js"
import { StoreError } from "../domain/Errors.js"
import { runSchemaMigrations } from "../schema/runSchemaMigrations.js"

export interface PostgresDatabaseShape {
  readonly sql: SqlClient.SqlClient
  /** The raw pool, for COPY streams. Take connections in `acquireRelease`. */
  readonly pool: Pg.Pool
}

export class PostgresDatabase extends Context.Tag("@repo/database/PostgresDatabase")<
  PostgresDatabase,
  PostgresDatabaseShape
>() {}

const INT8_OID = 20
const NUMERIC_OID = 1700

/** Type parsers of this pool only (the driver's global defaults stay untouched). */
export const numericTypes: Pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    (oid === INT8_OID || oid === NUMERIC_OID) && format !== "binary"
      ? (value: string) => Number(value)
      : (Pg.types.getTypeParser(oid, format ?? "text") as (
          value: string
        ) => unknown)) as Pg.CustomTypesConfig["getTypeParser"]
}

const openError = (cause: unknown) =>
  new StoreError({
    backend: "postgres",
    operation: "open",
    message: `cannot connect to PostgreSQL: ${cause instanceof Error && cause.message ? cause.message : String(cause)}`,
    cause
  })

/** Opens a pool and checks it with a round trip; the pool is ended when the scope closes. */
export const acquirePool = (options: Pick<PostgresOptions, "url" | "poolSize" | "connectTimeoutMs">) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        const pool = new Pg.Pool({
          connectionString: Redacted.value(options.url),
          max: options.poolSize,
          connectionTimeoutMillis: options.connectTimeoutMs,
          application_name: "omega-db",
          types: numericTypes
        })
        // An idle client losing its server must not crash the process; the next query reports the error.
        pool.on("error", () => {})
        try {
          await pool.query("SELECT 1")
        } catch (error) {
          await pool.end().catch(() => {})
          throw error
        }
        return pool
      },
      catch: openError
    }),
    (pool) => Effect.promise(() => pool.end().catch(() => {}))
  )

export const makePostgresDatabase = (options: PostgresOptions) =>
  Effect.gen(function* () {
    const pool = yield* acquirePool(options)
    const sql: SqlClient.SqlClient = yield* PgClient.fromPool({
      acquire: Effect.succeed(pool),
      applicationName: "omega-db",
      types: numericTypes
    }).pipe(Effect.mapError(openError))
    if (options.migrate) yield* runSchemaMigrations("postgres").pipe(Effect.provideService(SqlClient.SqlClient, sql))
    return { sql, pool } satisfies PostgresDatabaseShape
  })

export const layer = (options: PostgresOptions): Layer.Layer<PostgresDatabase, StoreError> =>
  Layer.scoped(PostgresDatabase, makePostgresDatabase(options)).pipe(Layer.provide(Reactivity.layer))

export const layerConfig = Layer.unwrapEffect(Effect.map(postgresOptions, layer))
