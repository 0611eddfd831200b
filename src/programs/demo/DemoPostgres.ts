/**
 * The PostgreSQL the demo runs on. Without a URL: an embedded server (PGlite behind pglite-socket), in memory, or
 * in the work dir when it is kept. With a URL: a database of the demo's own, created on that server and dropped
 * afterwards (unless kept), so the demo never touches the data of a database it was pointed at.
 */
import { Data, Effect, Redacted, type Scope } from "effect"
import { join } from "node:path"
import Pg from "pg"
import type { PostgresOptions } from "../../runtime/config/DatabaseConfig.js"
import { embeddedPostgresOptions, start } from "../embedded/EmbeddedPostgres.js"

export interface DemoPostgres {
  readonly options: PostgresOptions
  readonly embedded: boolean
  /** host:port/database, without credentials. */
  readonly target: string
}

export class DemoPostgresError extends Data.TaggedError("DemoPostgresError")<{
  readonly message: string
  readonly cause?: unknown
}> {}

const targetOf = (url: string) => {
  const parsed = new URL(url)
  return `${parsed.host}${parsed.pathname}`
}

/** Runs one statement on its own connection to `url`. */
const runOn = (url: string, statement: string) =>
  Effect.tryPromise({
    try: async () => {
      const client = new Pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 })
      await client.connect()
      try {
        await client.query(statement)
      } finally {
        await client.end()
      }
    },
    catch: (cause) =>
      new DemoPostgresError({
        message: `${statement.split(" ").slice(0, 2).join(" ")} on ${targetOf(url)} failed: ${
          cause instanceof Error ? cause.message : String(cause)
        }`,
        cause
      })
  })

const onServer = (url: Redacted.Redacted, keep: boolean) =>
  Effect.gen(function* () {
    const server = Redacted.value(url)
    yield* Effect.try({
      try: () => new URL(server),
      catch: () => new DemoPostgresError({ message: "the PostgreSQL URL does not parse (expected postgres://...)" })
    })
    const name = `omega_demo_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
    yield* Effect.acquireRelease(runOn(server, `CREATE DATABASE ${name}`), () =>
      keep
        ? Effect.void
        : runOn(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).pipe(
            Effect.catchAll((error) => Effect.logWarning(`the demo database ${name} was not dropped: ${error.message}`))
          )
    )
    const demoUrl = new URL(server)
    demoUrl.pathname = `/${name}`
    const demo: DemoPostgres = {
      options: { url: Redacted.make(demoUrl.toString()), poolSize: 10, connectTimeoutMs: 10_000, migrate: false },
      embedded: false,
      target: targetOf(demoUrl.toString())
    }
    return demo
  })

const embedded = (workDir: string, keep: boolean) =>
  Effect.gen(function* () {
    const server = yield* start(keep ? { dataDir: join(workDir, "pgdata") } : {})
    const demo: DemoPostgres = {
      options: embeddedPostgresOptions(server, { migrate: false }),
      embedded: true,
      target: `embedded PGlite at ${server.host}:${server.port} (${keep ? server.dataDir : "in memory"})`
    }
    return demo
  }).pipe(Effect.mapError((error) => new DemoPostgresError({ message: error.message, cause: error })))

/** The demo's PostgreSQL for the scope. */
export const demoPostgres = (options: {
  readonly url: Redacted.Redacted | undefined
  readonly workDir: string
  readonly keep: boolean
}): Effect.Effect<DemoPostgres, DemoPostgresError, Scope.Scope> =>
  options.url === undefined ? embedded(options.workDir, options.keep) : onServer(options.url, options.keep)
