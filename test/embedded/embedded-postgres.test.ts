/**
 * The embedded PostgreSQL (PGlite behind pglite-socket) as the demo uses it: our own PostgresDatabase layer on
 * it, the whole services suite, the things the migration programs rely on (schema migrations, cursors, COPY TO),
 * and the one thing it cannot do (COPY FROM STDIN), which callers must detect.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, ConfigProvider, Effect, Layer, Option, Redacted, Stream } from "effect"
import { join } from "node:path"
import Pg from "pg"
import { to as copyTo } from "pg-copy-streams"
import { isPglite, supportsCopyFromStdin } from "../../src/programs/embedded/CopyFromStdinSupport.js"
import { embeddedPostgresOptions, layerPostgresDatabase, start } from "../../src/programs/embedded/EmbeddedPostgres.js"
import { postgresOrEmbedded } from "../../src/programs/embedded/PostgresOrEmbedded.js"
import * as PostgresDatabase from "../../src/runtime/layers/PostgresDatabase.js"
import { postgresBackend } from "../../src/runtime/modes/DatabaseLayer.js"
import { runSchemaMigrations } from "../../src/runtime/schema/runSchemaMigrations.js"
import type { StoreError } from "../../src/runtime/domain/Errors.js"
import { servicesSuite } from "../suites/ServicesSuite.js"
import { tempDir, tempPostgres } from "../support/TestDatabases.js"

// The suite checks that errors name the backend, which is "postgres": the embedded server is a PostgreSQL.
describe("embedded PostgreSQL", () => {
  servicesSuite("postgres", () =>
    Layer.unwrapScoped(Effect.map(start(), (server) => postgresBackend(embeddedPostgresOptions(server))))
  )
})

/** Runs `use` with our PostgresDatabase layer open (an in-memory embedded server unless told otherwise). */
const withDatabase = <A, E>(
  use: (db: PostgresDatabase.PostgresDatabaseShape) => Effect.Effect<A, E>,
  layer: Layer.Layer<PostgresDatabase.PostgresDatabase, StoreError> = layerPostgresDatabase()
) => Effect.flatMap(PostgresDatabase.PostgresDatabase, use).pipe(Effect.provide(layer))

describe("embedded PostgreSQL server", () => {
  it.live(
    "listens on 127.0.0.1 and a free port, serves node-postgres, and stops with its scope",
    () =>
      Effect.gen(function* () {
        const server = yield* Effect.scoped(
          Effect.gen(function* () {
            const server = yield* start()
            expect(server.host).toBe("127.0.0.1")
            expect(server.port).toBeGreaterThan(0)
            expect(server.dataDir).toBe("memory://")
            const version = yield* Effect.promise(async () => {
              const client = new Pg.Client({ connectionString: Redacted.value(server.url) })
              await client.connect()
              try {
                return (await client.query<{ version: string }>("SELECT version() AS version")).rows[0]?.version
              } finally {
                await client.end()
              }
            })
            expect(version).toMatch(/^PostgreSQL \d+.*PGlite/)
            return server
          })
        )
        const afterStop = yield* Effect.promise(() => {
          const client = new Pg.Client({ connectionString: Redacted.value(server.url), connectionTimeoutMillis: 2000 })
          return client.connect().then(
            () => client.end().then(() => "connected"),
            (error: unknown) => (error instanceof Error ? error.message : String(error))
          )
        })
        expect(afterStop).toMatch(/ECONNREFUSED/)
      }),
    60_000
  )

  it.live("the embedded options always use a pool of one connection", () =>
    Effect.sync(() => {
      const options = embeddedPostgresOptions(
        { url: Redacted.make("postgres://x@127.0.0.1:1/postgres") },
        {
          migrate: false
        }
      )
      expect(options.poolSize).toBe(1)
      expect(options.migrate).toBe(false)
    })
  )

  it.live(
    'runs our schema migrations (GIN full-text index, COLLATE "C" keys, the outbox sequence) once, and keeps data in a data dir',
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir
        const dataDir = join(dir, "pgdata")
        yield* withDatabase(
          (db) =>
            Effect.gen(function* () {
              const indexes = yield* db.sql<{ indexdef: string }>`SELECT indexdef FROM pg_indexes
                WHERE indexname = 'idx_messages_fts'`
              expect(indexes[0]?.indexdef).toMatch(/USING gin \(search_vector\)/)
              const collations = yield* db.sql<{ collation_name: string | null }>`SELECT collation_name
                FROM information_schema.columns WHERE table_name = 'messages' AND column_name = 'user_id'`
              expect(collations[0]?.collation_name).toBe("C")
              const first = yield* db.sql<{ seq: string }>`SELECT nextval('shadow_outbox_seq')::text AS seq`
              expect(first[0]?.seq).toBe("1")
              yield* db.sql`INSERT INTO messages (id, user_id, message_content, sender_type, timestamp)
                VALUES ('kept', 'u', 'survives a restart', 'human', 1)`
            }),
          layerPostgresDatabase({ dataDir })
        )
        yield* withDatabase(
          (db) =>
            Effect.gen(function* () {
              const ran = yield* runSchemaMigrations("postgres").pipe(
                Effect.provideService(SqlClient.SqlClient, db.sql)
              )
              expect(ran).toEqual([])
              const kept = yield* db.sql<{
                message_content: string
              }>`SELECT message_content FROM messages WHERE id = 'kept'`
              expect(kept.map((r) => r.message_content)).toEqual(["survives a restart"])
              const next = yield* db.sql<{ seq: string }>`SELECT nextval('shadow_outbox_seq')::text AS seq`
              expect(next[0]?.seq).toBe("2")
            }),
          layerPostgresDatabase({ dataDir })
        )
      }).pipe(Effect.scoped),
    120_000
  )

  it.live(
    "streams rows through a cursor and runs concurrent queries and transactions on its single connection",
    () =>
      withDatabase((db) =>
        Effect.gen(function* () {
          const rows = Array.from({ length: 250 }, (_, i) => ({
            id: `m-${String(i).padStart(4, "0")}`,
            user_id: "streamer",
            message_content: `message ${i}`,
            sender_type: "human",
            timestamp: i
          }))
          yield* db.sql`INSERT INTO messages ${db.sql.insert(rows)}`
          const streamed = yield* db.sql<{ id: string }>`SELECT id FROM messages WHERE user_id = 'streamer'
            ORDER BY id`.stream.pipe(Stream.runCollect)
          expect(Chunk.toReadonlyArray(streamed).map((r) => r.id)).toEqual(rows.map((r) => r.id))

          const counts = yield* Effect.all(
            [
              ...Array.from({ length: 10 }, () =>
                db.sql<{ n: number }>`SELECT COUNT(*)::int AS n FROM messages`.pipe(Effect.map((r) => r[0]?.n))
              ),
              db.sql.withTransaction(
                Effect.zipRight(
                  db.sql`UPDATE messages SET message_content = 'in a transaction' WHERE id = 'm-0000'`,
                  db.sql<{ n: number }>`SELECT COUNT(*)::int AS n FROM messages`.pipe(Effect.map((r) => r[0]?.n))
                )
              )
            ],
            { concurrency: "unbounded" }
          )
          expect(counts).toEqual(Array.from({ length: 11 }, () => 250))
        })
      ),
    60_000
  )

  it.live(
    "COPY TO STDOUT works; COPY FROM STDIN is reported as unsupported",
    () =>
      withDatabase((db) =>
        Effect.gen(function* () {
          yield* db.sql`INSERT INTO queries (id, user_id, username, query_text, timestamp, query_result)
            VALUES ('q-1', 'u', 'ann', 'how many?', 5, ${JSON.stringify({ count: 42 })})`
          const copied = yield* Effect.acquireUseRelease(
            Effect.promise(() => db.pool.connect()),
            (client) =>
              Effect.promise(async () => {
                const chunks: Array<string> = []
                for await (const chunk of client.query(
                  copyTo("COPY (SELECT id, query_result FROM queries) TO STDOUT")
                )) {
                  chunks.push(String(chunk))
                }
                return chunks.join("")
              }),
            (client) => Effect.sync(() => client.release())
          )
          expect(copied).toBe('q-1\t{"count": 42}\n')
          expect(yield* isPglite(db.sql)).toBe(true)
          expect(yield* supportsCopyFromStdin(db.sql)).toBe(false)
        })
      ),
    60_000
  )

  it.live(
    "a real PostgreSQL supports COPY FROM STDIN",
    () =>
      Effect.gen(function* () {
        const options = yield* tempPostgres({ migrate: false })
        yield* withDatabase(
          (db) => Effect.map(supportsCopyFromStdin(db.sql), (supported) => expect(supported).toBe(true)),
          PostgresDatabase.layer(options)
        )
      }).pipe(Effect.scoped),
    60_000
  )

  it.live(
    "with no PostgreSQL configured, the demo gets an embedded one; with one configured, that one",
    () =>
      Effect.gen(function* () {
        const embedded = yield* postgresOrEmbedded.pipe(
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["POSTGRES_AUTO_MIGRATE", "false"]])))
        )
        expect(Option.isSome(embedded.embedded)).toBe(true)
        expect(embedded.options.poolSize).toBe(1)
        expect(embedded.options.migrate).toBe(false)
        expect(Redacted.value(embedded.options.url)).toBe(Redacted.value(Option.getOrThrow(embedded.embedded).url))

        const configured = yield* postgresOrEmbedded.pipe(
          Effect.withConfigProvider(
            ConfigProvider.fromMap(new Map([["POSTGRES_URL", "postgres://someone@db.example:5432/bot"]]))
          )
        )
        expect(Option.isNone(configured.embedded)).toBe(true)
        expect(Redacted.value(configured.options.url)).toBe("postgres://someone@db.example:5432/bot")
        expect(configured.options.poolSize).toBe(20)
      }).pipe(Effect.scoped),
    60_000
  )
})
