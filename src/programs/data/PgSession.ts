/**
 * One node-postgres connection taken from the PostgresDatabase pool for the scope, and the two things a load does
 * with it: run a statement and stream a COPY. A connection whose scope ends in failure or interruption is
 * destroyed, not returned, so PostgreSQL aborts whatever transaction or COPY it was in.
 *
 * A server that cannot take `COPY ... FROM STDIN` (the embedded PGlite one) gets the same COPY text as INSERTs
 * (InsertFallback.ts), with the same row count and the same SQLSTATEs, so callers never know which ran.
 */
import { Data, Effect, Either, Exit } from "effect"
import type Pg from "pg"
import { from as copyFrom } from "pg-copy-streams"
import { clientSupportsCopyFromStdin } from "../embedded/CopyFromStdinSupport.js"
import { PostgresDatabase } from "../../runtime/layers/PostgresDatabase.js"
import { connectionPermits } from "./ConnectionBudget.js"
import { causeMessage, LoadError } from "./DataErrors.js"
import { copyAsInserts, insertAtomically } from "./InsertFallback.js"

/** A statement failed; `code` is PostgreSQL's SQLSTATE when the server reported it. */
export class PgFailure extends Data.TaggedError("PgFailure")<{
  readonly code: string | undefined
  readonly message: string
  readonly cause: unknown
}> {}

const failure = (cause: unknown) => {
  const code = (cause as { code?: unknown } | null)?.code
  const detail = (cause as { detail?: unknown } | null)?.detail
  const message = causeMessage(cause) + (typeof detail === "string" && detail !== "" ? ` (${detail})` : "")
  return new PgFailure({ code: typeof code === "string" ? code : undefined, message, cause })
}

/**
 * Errors about the rows sent (data exceptions, constraint violations): the rows can be isolated and rejected.
 * Anything else (connection, permissions, missing table) stops the load.
 */
export const isRowLevel = (error: PgFailure): boolean =>
  error.code !== undefined && (error.code.startsWith("22") || error.code.startsWith("23"))

export interface PgSession {
  readonly query: <R extends Pg.QueryResultRow = Pg.QueryResultRow>(
    text: string,
    values?: ReadonlyArray<unknown>
  ) => Effect.Effect<Pg.QueryResult<R>, PgFailure>
  /**
   * Streams `payload` (COPY text) into `COPY ... FROM STDIN`, or runs it as INSERTs where the server cannot take
   * that; the number of rows copied. Atomic either way.
   */
  readonly copyIn: (text: string, payload: Buffer) => Effect.Effect<number, PgFailure>
}

const ignore = () => {}

/** `count` sessions for the scope, their connections' permits taken at once (see ConnectionBudget.ts). */
export const pgSessions = (table: string, count: number) =>
  Effect.gen(function* () {
    const { pool } = yield* PostgresDatabase
    // Taken first, so released only after the connections went back to the pool.
    yield* connectionPermits(pool, count)
    return yield* Effect.forEach(Array.from({ length: Math.max(1, count) }), () => openSession(pool, table))
  })

/** One session for the scope. */
export const pgSession = (table: string) => Effect.map(pgSessions(table, 1), (sessions) => sessions[0]!)

/**
 * A session writes without the tally triggers (PostgreSQL migration 10): the loader recounts a table's tallies once
 * its rows are in (RecountTallies.ts). Session state, so it ends with the connection, and is reset before the
 * connection goes back to the pool.
 */
const skipTallies = "SET omega.skip_tallies = 'on'"

const openSession = (pool: Pg.Pool, table: string) =>
  Effect.gen(function* () {
    const client = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: async () => {
          const client = await pool.connect()
          try {
            await client.query(skipTallies)
          } catch (cause) {
            client.release(true)
            throw cause
          }
          return client
        },
        catch: (cause) =>
          new LoadError({ table, message: `cannot get a PostgreSQL connection: ${causeMessage(cause)}`, cause })
      }).pipe(Effect.tap((client) => Effect.sync(() => client.on("error", ignore)))),
      (client, exit) =>
        Effect.promise(async () => {
          let destroy = Exit.isFailure(exit)
          if (!destroy)
            destroy = await client.query("RESET omega.skip_tallies").then(
              () => false,
              () => true
            )
          client.off("error", ignore)
          client.release(destroy ? true : undefined)
        })
    )
    const query = <R extends Pg.QueryResultRow>(text: string, values?: ReadonlyArray<unknown>) =>
      Effect.tryPromise({
        try: () => client.query<R>(text, values === undefined ? undefined : [...values]),
        catch: failure
      })
    const copy = (text: string, payload: Buffer) =>
      Effect.async<number, PgFailure>((resume) => {
        const stream = client.query(copyFrom(text))
        let settled = false
        stream.on("error", (error) => {
          if (settled) return
          settled = true
          resume(Effect.fail(failure(error)))
        })
        stream.on("finish", () => {
          if (settled) return
          settled = true
          resume(Effect.succeed(stream.rowCount))
        })
        stream.end(payload)
      })
    const inserts = (text: string, payload: Buffer) =>
      Effect.flatMap(
        Either.mapLeft(
          copyAsInserts(text, payload),
          (invalid) => new PgFailure({ code: invalid.code, message: invalid.message, cause: invalid })
        ),
        (statements) => insertAtomically(statements, query, client.getTransactionStatus() !== "I")
      )
    // Learned before the session's first COPY (which would kill a server without it), then remembered: one
    // round trip per table loaded.
    let copyFromStdin: boolean | undefined
    const learnCopyFromStdin = Effect.suspend(() =>
      copyFromStdin !== undefined
        ? Effect.succeed(copyFromStdin)
        : Effect.tryPromise({ try: () => clientSupportsCopyFromStdin(client), catch: failure }).pipe(
            Effect.tap((supported) =>
              Effect.sync(() => {
                copyFromStdin = supported
              })
            )
          )
    )
    const session: PgSession = {
      query,
      copyIn: (text, payload) =>
        Effect.flatMap(learnCopyFromStdin, (supported) => (supported ? copy(text, payload) : inserts(text, payload)))
    }
    return session
  })
