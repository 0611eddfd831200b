/**
 * An embedded PostgreSQL for the zero-setup demo: PGlite (PostgreSQL compiled to WASM, in this process) served
 * over the wire protocol by pglite-socket on 127.0.0.1 and a free port, so node-postgres and therefore our
 * ordinary `PostgresDatabase` layer connect to it like to any server. Started and stopped by a scope.
 *
 * Limits of the embedded server, all worked around here or by its callers (see `embeddedPostgresOptions` and
 * `supportsCopyFromStdin`):
 * - PGlite is one backend: the socket server accepts one connection at a time (node-postgres sees a second one
 *   fail with "Connection terminated unexpectedly"), so the pool must have exactly one client, and nothing may
 *   hold a raw pool connection while it also queries through the SQL client (it would wait for a second one).
 * - `COPY ... FROM STDIN` kills the WASM backend (it reads end-of-input in the middle of the copy and exits),
 *   after which every query hangs: bulk loads must use INSERTs. `COPY ... TO STDOUT` works.
 *
 * PGlite is an optional dependency (an image may install with `--omit=optional`), so it is loaded when a server
 * starts, not when this module is imported: the rest of the CLI works without it.
 */
import type { PGlite } from "@electric-sql/pglite"
import type { PGLiteSocketServer } from "@electric-sql/pglite-socket"
import { Effect, Layer, Redacted, type Scope } from "effect"
import type { PostgresOptions } from "../../runtime/config/DatabaseConfig.js"
import { StoreError } from "../../runtime/domain/Errors.js"
import * as PostgresDatabase from "../../runtime/layers/PostgresDatabase.js"

export interface EmbeddedPostgresOptions {
  /** A directory to keep the database in across runs; in memory (gone when the scope closes) when absent. */
  readonly dataDir?: string | undefined
}

export interface EmbeddedPostgres {
  /** A node-postgres connection string for the running server (no password: PGlite does not authenticate). */
  readonly url: Redacted.Redacted
  readonly host: string
  readonly port: number
  /** Where the data lives: a directory, or `memory://`. */
  readonly dataDir: string
}

const host = "127.0.0.1"

const startError = (cause: unknown) =>
  new StoreError({
    backend: "postgres",
    operation: "start embedded PostgreSQL",
    message: `cannot start the embedded PostgreSQL: ${cause instanceof Error ? cause.message : String(cause)}`,
    cause
  })

const loadPglite = Effect.tryPromise({
  try: () => Promise.all([import("@electric-sql/pglite"), import("@electric-sql/pglite-socket")]),
  catch: (cause) =>
    startError(
      `PGlite is not installed (the optional dependency @electric-sql/pglite was left out): ${
        cause instanceof Error ? cause.message : String(cause)
      }`
    )
})

const openDatabase = (create: (options: { dataDir: string }) => Promise<PGlite>, dataDir: string) =>
  Effect.acquireRelease(Effect.tryPromise({ try: () => create({ dataDir }), catch: startError }), (db) =>
    Effect.tryPromise(() => db.close()).pipe(
      Effect.catchAll((error) => Effect.logWarning("embedded PostgreSQL did not close cleanly", error))
    )
  )

const listen = (Server: typeof PGLiteSocketServer, db: PGlite) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        // Port 0: the OS picks a free port, read back from the listening server.
        const server = new Server({ db, host, port: 0, maxConnections: 1 })
        await server.start()
        return server
      },
      catch: startError
    }),
    (server) =>
      Effect.tryPromise(() => server.stop()).pipe(
        Effect.catchAll((error) => Effect.logWarning("embedded PostgreSQL server did not stop cleanly", error))
      )
  )

/**
 * Starts PGlite and its socket server; both stop when the scope closes (the server first, so no client is left
 * talking to a closed database). Open the `PostgresDatabase` layer inside the same scope, after this.
 */
export const start = (
  options: EmbeddedPostgresOptions = {}
): Effect.Effect<EmbeddedPostgres, StoreError, Scope.Scope> =>
  Effect.gen(function* () {
    const dataDir = options.dataDir ?? "memory://"
    const [{ PGlite }, { PGLiteSocketServer }] = yield* loadPglite
    const db = yield* openDatabase((options) => PGlite.create(options), dataDir)
    const server = yield* listen(PGLiteSocketServer, db)
    const port = Number(server.getServerConn().split(":").at(-1))
    if (!Number.isInteger(port) || port <= 0) {
      return yield* startError(`the socket server reported no port (${server.getServerConn()})`)
    }
    yield* Effect.logInfo("embedded PostgreSQL started").pipe(Effect.annotateLogs({ host, port, dataDir }))
    return { url: Redacted.make(`postgres://postgres@${host}:${port}/postgres`), host, port, dataDir }
  }).pipe(Effect.withLogSpan("embedded-postgres"))

/**
 * The `PostgresOptions` to open the embedded server with. The pool size is forced to 1: the server serves one
 * connection, and @effect/sql-pg queues every query (and reserves the client for a transaction) on that one.
 */
export const embeddedPostgresOptions = (
  server: Pick<EmbeddedPostgres, "url">,
  overrides: Partial<Omit<PostgresOptions, "url" | "poolSize">> = {}
): PostgresOptions => ({
  connectTimeoutMs: 10_000,
  migrate: true,
  ...overrides,
  url: server.url,
  poolSize: 1
})

/** Our `PostgresDatabase` (schema migrated on open) over an embedded server that lives as long as the layer. */
export const layerPostgresDatabase = (
  options: EmbeddedPostgresOptions = {}
): Layer.Layer<PostgresDatabase.PostgresDatabase, StoreError> =>
  Layer.unwrapScoped(Effect.map(start(options), (server) => PostgresDatabase.layer(embeddedPostgresOptions(server))))
