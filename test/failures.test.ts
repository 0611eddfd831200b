/** Database failures surface as one typed StoreError; multi-statement writes are all-or-nothing. */
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Option, Redacted } from "effect"
import { postgresOptions } from "../src/runtime/config/DatabaseConfig.js"
import * as PostgresDatabase from "../src/runtime/layers/PostgresDatabase.js"
import * as SqliteDatabase from "../src/runtime/layers/SqliteDatabase.js"
import { postgresBackend, sqliteBackend } from "../src/runtime/modes/DatabaseLayer.js"
import { DocumentService } from "../src/runtime/services/DocumentService.js"
import { IdGenerator } from "../src/runtime/services/IdGenerator.js"
import { tempPostgres, tempSqlite } from "./support/TestDatabases.js"

const rawSql = (statements: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const sqliteDb = yield* Effect.serviceOption(SqliteDatabase.SqliteDatabase)
    const pgDb = yield* Effect.serviceOption(PostgresDatabase.PostgresDatabase)
    const sql = Option.isSome(sqliteDb) ? sqliteDb.value.sql : Option.getOrThrow(pgDb).sql
    for (const s of statements) yield* sql.unsafe(s)
  })

describe("transactions", () => {
  const cases = [
    {
      backend: "sqlite",
      build: Effect.map(tempSqlite(), (o) => ({
        seed: (statements: ReadonlyArray<string>) => Effect.provide(rawSql(statements), SqliteDatabase.layer(o)),
        services: sqliteBackend({ ...o, migrate: false })
      }))
    },
    {
      backend: "postgres",
      build: Effect.map(tempPostgres(), (o) => ({
        seed: (statements: ReadonlyArray<string>) => Effect.provide(rawSql(statements), PostgresDatabase.layer(o)),
        services: postgresBackend({ ...o, migrate: false })
      }))
    }
  ] as const

  for (const { backend, build } of cases) {
    it.scoped(`${backend}: createDocument writes the document and its owner together or not at all`, () =>
      Effect.gen(function* () {
        const { seed, services } = yield* build
        // The owner row will get id tx-000002: occupy that id so the second INSERT of the transaction fails.
        yield* seed([
          "INSERT INTO documents (id, title, content, created_by) VALUES ('other', 'o', '', 'x')",
          "INSERT INTO document_collaborators (id, document_id, user_id, role) VALUES ('tx-000002', 'other', 'x', 'owner')"
        ])

        yield* Effect.gen(function* () {
          const docs = yield* DocumentService
          const error = yield* Effect.flip(docs.createDocument({ title: "half", createdBy: "alice" }))
          expect(error._tag).toBe("StoreError")
          if (error._tag === "StoreError") {
            expect(error.backend).toBe(backend)
            expect(error.operation).toBe("apply CreateDocument")
          }
          expect(Option.isNone(yield* docs.getDocument("tx-000001"))).toBe(true)
          expect(yield* docs.getDocumentCount({ userId: "alice" })).toBe(0)
        }).pipe(Effect.provide(services.pipe(Layer.provide(Layer.succeed(IdGenerator, IdGenerator.sequential("tx"))))))
      })
    )
  }
})

describe("opening databases", () => {
  it.effect("an unreachable PostgreSQL is a StoreError naming the backend and the operation", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Layer.build(
          PostgresDatabase.layer({
            url: Redacted.make("postgres://postgres@127.0.0.1:1/nowhere"),
            poolSize: 2,
            connectTimeoutMs: 2000,
            migrate: true
          })
        ).pipe(Effect.scoped)
      )
      expect(error._tag).toBe("StoreError")
      expect(error.backend).toBe("postgres")
      expect(error.operation).toBe("open")
      expect(error.message).toMatch(/cannot connect to PostgreSQL/)
    })
  )

  it.effect("a SQLite path whose folder cannot be made is a StoreError at once, not a spinning process", () =>
    Effect.gen(function* () {
      // Node's recursive mkdir retries a parent under /proc for ever, synchronously; the layer makes one level at a time.
      const error = yield* Effect.flip(
        Layer.build(
          SqliteDatabase.layer({ filename: "/proc/nonexistent/data/omega.db", busyTimeoutMs: 0, migrate: true })
        ).pipe(Effect.scoped, Effect.timeout("10 seconds"))
      )
      expect(error._tag).toBe("StoreError")
      if (error._tag === "StoreError") {
        expect(error.operation).toBe("open")
        expect(error.message).toContain("/proc/nonexistent")
      }
    })
  )

  it.effect("the pool holds 20 connections unless configured otherwise; the URL stays redacted", () =>
    Effect.gen(function* () {
      const withUrl = ConfigProvider.fromMap(new Map([["DATABASE_URL", "postgres://u:secret@h/db"]]))
      const defaults = yield* Effect.withConfigProvider(postgresOptions, withUrl)
      expect(defaults.poolSize).toBe(20)
      expect(String(defaults.url)).not.toContain("secret")
      const sized = yield* Effect.withConfigProvider(
        postgresOptions,
        ConfigProvider.fromMap(
          new Map([
            ["POSTGRES_URL", "postgres://h/db"],
            ["POSTGRES_POOL_SIZE", "7"]
          ])
        )
      )
      expect(sized.poolSize).toBe(7)
      expect(Redacted.value(sized.url)).toBe("postgres://h/db")
      const missing = yield* Effect.flip(Effect.withConfigProvider(postgresOptions, ConfigProvider.fromMap(new Map())))
      expect(String(missing)).toContain("POSTGRES_URL, DATABASE_PUBLIC_URL or DATABASE_URL")
    })
  )

  it.scoped("the PostgreSQL layer opens its pool with the configured size and ends it on close", () =>
    Effect.gen(function* () {
      const options = yield* tempPostgres({ poolSize: 20 })
      const pool = yield* Effect.scoped(
        Effect.gen(function* () {
          const ctx = yield* Layer.build(PostgresDatabase.layer(options))
          const { pool } = ctx.unsafeMap.get(
            PostgresDatabase.PostgresDatabase.key
          ) as PostgresDatabase.PostgresDatabaseShape
          expect(pool.options.max).toBe(20)
          expect(pool.ending).toBe(false)
          return pool
        })
      )
      expect(pool.ending).toBe(true)
    })
  )
})
