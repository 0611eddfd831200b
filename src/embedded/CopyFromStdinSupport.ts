/**
 * Whether a PostgreSQL server can take `COPY ... FROM STDIN`. The embedded demo server (PGlite behind
 * pglite-socket) cannot: the copy kills its WASM backend and every later query hangs, so bulk loaders must ask
 * first and fall back to batched INSERTs there. PGlite names itself in `version()`.
 */
import type { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { StoreError } from "../domain/Errors.js"

export const isPglite = (sql: SqlClient.SqlClient): Effect.Effect<boolean, StoreError> =>
  sql<{ version: string }>`SELECT version() AS version`.pipe(
    Effect.map((rows) => (rows[0]?.version ?? "").includes("PGlite")),
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
