/**
 * Whether a PostgreSQL server can take `COPY ... FROM STDIN`. The embedded demo server (PGlite behind
 * pglite-socket) cannot: the copy kills its WASM backend and every later query hangs, so bulk loaders must ask
 * first and fall back to batched INSERTs there (PgSession.copyIn does). PGlite names itself in `version()`.
 *
 * The one place that knows how to tell: asked through an @effect/sql client (services, the demo) or a raw
 * node-postgres client (the bulk loader's own connections), both with the same query and the same test.
 */
import type { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import type Pg from "pg"
import { StoreError } from "../../runtime/domain/Errors.js"

const versionQuery = "SELECT version() AS version"

const namesPglite = (version: string | undefined): boolean => (version ?? "").includes("PGlite")

export const isPglite = (sql: SqlClient.SqlClient): Effect.Effect<boolean, StoreError> =>
  sql.unsafe<{ version: string }>(versionQuery).pipe(
    Effect.map((rows) => namesPglite(rows[0]?.version)),
    Effect.mapError(
      (cause) =>
        new StoreError({
          backend: "postgres",
          operation: "detect server",
          message: `cannot ask PostgreSQL for its version: ${cause.message}`,
          cause
        })
    )
  )

export const supportsCopyFromStdin = (sql: SqlClient.SqlClient): Effect.Effect<boolean, StoreError> =>
  Effect.map(isPglite(sql), (pglite) => !pglite)

/**
 * The same question on a node-postgres connection; the promise rejects with the driver's error (the caller types
 * it). Harmless inside a transaction: it only reads.
 */
export const clientSupportsCopyFromStdin = (client: Pg.ClientBase): Promise<boolean> =>
  client.query<{ version: string }>(versionQuery).then((result) => !namesPglite(result.rows[0]?.version))
