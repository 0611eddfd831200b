/**
 * The Promise facade the bot's async code calls: same methods as the Effect services, `null` for a missing row,
 * typed errors rejected as the error objects, `dispose()` letting the shadow catch up; and the module-level functions
 * and services, configured from the environment on first use.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import Pg from "pg"
import { InvalidInput, NotFound } from "../../src/runtime/domain/Errors.js"
import { createDatabase } from "../../src/runtime/facade/createDatabase.js"
import { getMessageCount, saveHumanMessage } from "../../src/runtime/contract/Messages.js"
import { saveQuery } from "../../src/runtime/contract/Queries.js"
import { createDocument } from "../../src/runtime/contract/Documents.js"
import { createUserProfile, updateUserProfile } from "../../src/runtime/contract/UserProfiles.js"
import { disposeDatabase } from "../../src/runtime/facade/defaultDatabase.js"
import { DatabaseConfigError } from "../../src/runtime/facade/Promised.js"
import * as Modes from "../../src/runtime/config/Mode.js"
import { tempPostgresUrl, tempSqlite } from "../support/TestDatabases.js"
import { freshDatabases, modeOver, postgresWriteControl } from "./support/ModeFixtures.js"

const countIn = (url: string, table: string) =>
  Effect.promise(async () => {
    const client = new Pg.Client({ connectionString: url })
    await client.connect()
    try {
      const result = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table}`)
      return Number(result.rows[0]?.n ?? 0)
    } finally {
      await client.end()
    }
  })

describe("Promise facade", () => {
  it.scopedLive("mirrors the services: rows, null for missing, typed rejections; dispose drains the shadow", () =>
    Effect.gen(function* () {
      const dbs = yield* freshDatabases
      // Slow the shadow down (5 ms a row) so that writes are still queued when dispose() is called.
      yield* Effect.scoped(
        Effect.flatMap(Layer.build(dbs.layer), (ctx) =>
          Effect.flatMap(Effect.provide(postgresWriteControl, ctx), (c) => c.delay(5))
        )
      )
      const db = createDatabase(modeOver(dbs.layer, Modes.sqliteShadowedToPostgres))
      const result = yield* Effect.promise(async () => {
        const saved = await db.messageService.saveHumanMessage({ userId: "ana", username: "Ana", content: "hi" })
        const found = await db.messageService.getMessageById(saved.id)
        const missing = await db.messageService.getMessageById("nope")
        const invalid = await db.messageService
          .saveHumanMessage({ userId: "", username: "x", content: "" })
          .catch((e: unknown) => e)
        const notFound = await db.userProfileService
          .updateUserProfile("nobody", { dominant_archetype: "x" })
          .catch((e: unknown) => e)
        const profile = await db.userProfileService.getOrCreateUserProfile("ana", "Ana")
        const count = await db.userProfileService.incrementMessageCount("ana")
        const query = await db.queryService.saveQuery({ userId: "ana", username: "Ana", queryText: "how many?" })
        const doc = await db.documentService.createDocument({ title: "Notes", createdBy: "ana" })
        const access = await db.documentService.hasDocumentAccess(doc.id, "ana")
        for (let i = 0; i < 100; i++) await db.messageService.saveAIMessage({ content: `reply ${i}` })
        const health = await db.shadowHealth()
        await db.dispose()
        return { saved, found, missing, invalid, notFound, profile, count, query, access, health }
      })
      expect(result.found).toEqual(result.saved)
      expect(result.missing).toBeNull()
      expect(result.invalid).toBeInstanceOf(InvalidInput)
      expect(result.invalid).toBeInstanceOf(Error)
      expect(result.notFound).toBeInstanceOf(NotFound)
      expect(result.profile.user_id).toBe("ana")
      expect(result.count).toBe(1)
      expect(result.query.query_text).toBe("how many?")
      expect(result.access).toBe(true)
      // Writes were still queued when dispose() was called; all of them reached PostgreSQL.
      expect(result.health.outboxDepth).toBeGreaterThan(0)
      expect(yield* countIn(dbs.pgUrl, "messages")).toBe(101)
      expect(yield* countIn(dbs.pgUrl, "shadow_dead_letters")).toBe(0)
    })
  )

  it.scopedLive("the module-level services read the environment on first use, as the guide shows", () =>
    Effect.gen(function* () {
      const sqlite = yield* tempSqlite()
      const pg = yield* tempPostgresUrl
      const saved = { ...process.env }
      yield* Effect.addFinalizer(() =>
        Effect.promise(async () => {
          await disposeDatabase()
          process.env = saved
        })
      )
      process.env["USE_POSTGRES_SHADOW"] = "true"
      process.env["SQLITE_PATH"] = sqlite.filename
      process.env["POSTGRES_URL"] = pg.url
      process.env["SHADOW_HEALTH_INTERVAL_MS"] = "0"

      yield* Effect.promise(async () => {
        await saveHumanMessage({
          userId: "u1",
          username: "U",
          channelId: "c1",
          channelName: "general",
          messageContent: "from the bot",
          messageId: "d1"
        })
        await saveQuery({ userId: "u1", username: "U", queryText: "q" })
        await createDocument({ title: "t", createdBy: "u1" })
        await createUserProfile("u1", "U")
        await updateUserProfile("u1", { dominant_archetype: "sage" })
        await disposeDatabase()
      })
      expect(yield* countIn(pg.url, "messages")).toBe(1)
      expect(yield* countIn(pg.url, "queries")).toBe(1)
      expect(yield* countIn(pg.url, "documents")).toBe(1)
      expect(yield* countIn(pg.url, "user_profiles")).toBe(1)

      // A bad configuration rejects every call with a clear error, and opens nothing.
      process.env["USE_POSTGRES_SHADOW"] = "false"
      process.env["USE_POSTGRES_READ"] = "true"
      const error = yield* Effect.promise(() =>
        getMessageCount({}).then(
          () => undefined,
          (e: unknown) => e
        )
      )
      expect(error).toBeInstanceOf(DatabaseConfigError)
      expect((error as DatabaseConfigError).message).toContain("USE_POSTGRES_READ=true needs USE_POSTGRES_SHADOW=true")
    })
  )
})
