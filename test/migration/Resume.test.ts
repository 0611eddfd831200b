/**
 * Safe and resumable: an import or copy stopped at any point and run again ends in the same data as one
 * uninterrupted run; a rerun changes nothing; rows already in PostgreSQL are skipped, or overwritten with
 * `--on-conflict update`; nothing is deleted without `--truncate`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Layer } from "effect"
import { join } from "node:path"
import * as SqliteDatabase from "../../src/runtime/layers/SqliteDatabase.js"
import { applySchema } from "../../src/programs/data/ApplySchema.js"
import { copyData } from "../../src/programs/data/CopyData.js"
import { exportData } from "../../src/programs/data/ExportData.js"
import { importData } from "../../src/programs/data/ImportData.js"
import { Progress } from "../../src/programs/data/Progress.js"
import * as SqliteSource from "../../src/programs/data/SqliteSource.js"
import {
  copyLayers,
  countRows,
  deferredIndexRecords,
  dump,
  indexDefinitions,
  freshPostgres,
  legacyDatabase,
  postgresLayer,
  rowVersions,
  startCli,
  withClient,
  withSqlite
} from "./support/Fixtures.js"

/** Progress that opens `gate` once `rows` rows of messages are done, so a test can stop a load mid-way. */
const gateAfter = (rows: number, gate: Deferred.Deferred<void>) =>
  Layer.succeed(Progress, {
    table: (table) =>
      Effect.sync(() => {
        let done = 0
        return {
          advance: (n: number) =>
            Effect.suspend(() => {
              done += n
              return table === "messages" && done >= rows ? Deferred.succeed(gate, undefined) : Effect.void
            }),
          done: Effect.void
        }
      })
  })

describe("resumable loads", () => {
  it.scopedLive(
    "an import interrupted mid-way resumes to the result of an uninterrupted run, and a rerun changes nothing",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 3000, quirks: true })
        const exportDir = join(legacy.dir, "export")
        yield* exportData({ outDir: exportDir }).pipe(Effect.provide(SqliteSource.layer(legacy.path)))
        const reference = yield* freshPostgres
        const resumed = yield* freshPostgres
        const options = { inDir: exportDir, rejectsPath: join(legacy.dir, "rejects.jsonl"), batchRows: 100 }

        const complete = yield* importData(options).pipe(Effect.provide(postgresLayer(reference)))

        const gate = yield* Deferred.make<void>()
        const running = yield* importData(options).pipe(
          Effect.provide(Layer.merge(postgresLayer(resumed), gateAfter(1000, gate))),
          Effect.fork
        )
        yield* Deferred.await(gate)
        yield* Fiber.interrupt(running)
        // Interrupted after the indexes of messages were deferred: the load built them again before it ended.
        expect(yield* deferredIndexRecords(resumed.plainUrl)).toBeUndefined()
        expect(yield* indexDefinitions(resumed.plainUrl)).toEqual(yield* indexDefinitions(reference.plainUrl))
        const partial = yield* countRows(resumed.plainUrl, "messages")
        expect(partial).toBeGreaterThan(900)
        expect(partial).toBeLessThan(2900)

        const second = yield* importData(options).pipe(Effect.provide(postgresLayer(resumed)))
        expect(second.totals.skipped).toBeGreaterThanOrEqual(partial)
        expect(second.totals.written + second.totals.skipped).toBe(complete.totals.written)
        expect(second.totals.rejected).toBe(complete.totals.rejected)
        expect(yield* dump(resumed.plainUrl)).toEqual(yield* dump(reference.plainUrl))
        expect(yield* indexDefinitions(resumed.plainUrl)).toEqual(yield* indexDefinitions(reference.plainUrl))

        const versions = yield* rowVersions(resumed.plainUrl)
        const third = yield* importData(options).pipe(Effect.provide(postgresLayer(resumed)))
        expect(third.totals.written).toBe(0)
        expect(third.totals.skipped).toBe(complete.totals.written)
        expect(yield* rowVersions(resumed.plainUrl)).toEqual(versions)
      }),
    120_000
  )

  it.scopedLive(
    "a copy killed with SIGKILL resumes to the same data",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 6000 })
        const reference = yield* freshPostgres
        const killed = yield* freshPostgres
        yield* copyData({ rejectsPath: join(legacy.dir, "r0.jsonl") }).pipe(
          Effect.provide(copyLayers(legacy.path, reference))
        )
        // Creates the schema, so the count below can poll before the child gets that far.
        yield* Layer.build(postgresLayer(killed))
        const args = [
          "copy",
          "--sqlite",
          legacy.path,
          "--postgres",
          killed.plainUrl,
          "--batch-size",
          "25",
          "--jobs",
          "1",
          "--rejects",
          join(legacy.dir, "r1.jsonl")
        ]
        const child = startCli(args)
        const exited = Effect.async<number | null>((resume) => {
          child.on("exit", (code) => resume(Effect.succeed(code)))
        })
        let atKill = 0
        while (atKill < 500) {
          yield* Effect.sleep("20 millis")
          atKill = yield* countRows(killed.plainUrl, "messages")
        }
        child.kill("SIGKILL")
        yield* exited
        const afterKill = yield* countRows(killed.plainUrl, "messages")
        expect(afterKill).toBeLessThan(6000)
        // The killed load had deferred the secondary indexes of messages; their definitions survived it.
        const deferred = yield* deferredIndexRecords(killed.plainUrl)
        expect(deferred).toContain("idx_messages_fts")
        const expectedIndexes = yield* indexDefinitions(reference.plainUrl)
        expect(yield* indexDefinitions(killed.plainUrl)).not.toEqual(expectedIndexes)
        // Killed, it could not rebuild them itself: `schema` does, on its own.
        const schema = yield* applySchema.pipe(
          Effect.provide(
            Layer.merge(
              SqliteDatabase.layer({ filename: legacy.path, busyTimeoutMs: 5000, migrate: false }),
              postgresLayer({ ...killed, migrate: false })
            )
          )
        )
        expect(schema.postgres.restoredIndexes).toContain("idx_messages_fts")
        expect(yield* indexDefinitions(killed.plainUrl)).toEqual(expectedIndexes)
        expect(yield* deferredIndexRecords(killed.plainUrl)).toBeUndefined()

        const rerun = yield* copyData({ rejectsPath: join(legacy.dir, "r2.jsonl") }).pipe(
          Effect.provide(copyLayers(legacy.path, killed))
        )
        expect(rerun.totals.skipped).toBeGreaterThanOrEqual(afterKill)
        expect(yield* dump(killed.plainUrl)).toEqual(yield* dump(reference.plainUrl))
        expect(yield* indexDefinitions(killed.plainUrl)).toEqual(expectedIndexes)
        expect(yield* deferredIndexRecords(killed.plainUrl)).toBeUndefined()
      }),
    120_000
  )

  it.scopedLive(
    "a copy in parallel streams interrupted mid-way resumes to the same data",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 3000, quirks: true })
        const reference = yield* freshPostgres
        const resumed = yield* freshPostgres
        // Indexes maintained, so each table loads in three streams.
        const options = {
          rejectsPath: join(legacy.dir, "rejects.jsonl"),
          batchRows: 100,
          deferIndexes: false,
          // Two tables at a time, three streams each: within the test pool's eight connections.
          jobs: 2,
          streams: 3,
          minRowsPerStream: 1
        }
        const complete = yield* copyData(options).pipe(Effect.provide(copyLayers(legacy.path, reference)))
        expect(complete.tables.find((t) => t.table === "messages")!.streams).toBe(3)

        const gate = yield* Deferred.make<void>()
        const running = yield* copyData(options).pipe(
          Effect.provide(Layer.merge(copyLayers(legacy.path, resumed), gateAfter(1000, gate))),
          Effect.fork
        )
        yield* Deferred.await(gate)
        yield* Fiber.interrupt(running)
        const partial = yield* countRows(resumed.plainUrl, "messages")
        expect(partial).toBeGreaterThan(900)
        expect(partial).toBeLessThan(2900)

        const second = yield* copyData(options).pipe(Effect.provide(copyLayers(legacy.path, resumed)))
        expect(second.totals.skipped).toBeGreaterThanOrEqual(partial)
        expect(second.totals.written + second.totals.skipped).toBe(complete.totals.written)
        expect(second.totals.rejected).toBe(complete.totals.rejected)
        expect(second.tables.find((t) => t.table === "messages")!.streams).toBe(3)
        expect(yield* dump(resumed.plainUrl)).toEqual(yield* dump(reference.plainUrl))
        expect(yield* indexDefinitions(resumed.plainUrl)).toEqual(yield* indexDefinitions(reference.plainUrl))
      }),
    120_000
  )

  it.scopedLive(
    "rows already in PostgreSQL are kept unless --on-conflict update, and only --truncate deletes",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 200 })
        const pg = yield* freshPostgres
        const layers = copyLayers(legacy.path, pg)
        const rejectsPath = join(legacy.dir, "rejects.jsonl")
        yield* copyData({ rejectsPath }).pipe(Effect.provide(layers))
        const original = yield* dump(pg.plainUrl)
        const edit = (sql: string) => withClient(pg.plainUrl, (c) => c.query(sql))
        // The bot (or a shadow write) changed a row and added one that SQLite does not have.
        yield* edit(`UPDATE messages SET message_content = 'changed in PostgreSQL' WHERE id = 'msg-1'`)
        yield* edit(
          `INSERT INTO messages (id, timestamp, sender_type, message_content) VALUES ('only-in-pg', 1, 'human', 'x')`
        )

        const skip = yield* copyData({ rejectsPath }).pipe(Effect.provide(layers))
        expect(skip.totals.written).toBe(0)
        const content = (id: string) =>
          withClient(pg.plainUrl, async (c) => {
            const r = await c.query(`SELECT message_content FROM messages WHERE id = $1`, [id])
            return r.rows[0]?.message_content as string | undefined
          })
        expect(yield* content("msg-1")).toBe("changed in PostgreSQL")

        const update = yield* copyData({ rejectsPath, onConflict: "update" }).pipe(Effect.provide(layers))
        expect(update.totals.updated).toBe(1)
        expect(update.totals.written).toBe(1)
        expect(yield* content("msg-1")).not.toBe("changed in PostgreSQL")
        expect(yield* content("only-in-pg")).toBe("x")

        const truncated = yield* copyData({ rejectsPath, truncate: true }).pipe(Effect.provide(layers))
        expect(truncated.truncated).toBe(true)
        expect(yield* content("only-in-pg")).toBeUndefined()
        expect(yield* dump(pg.plainUrl)).toEqual(original)
      }),
    120_000
  )
})

describe("reading a live SQLite file", () => {
  it.scopedLive(
    "in WAL mode, every table comes from one snapshot: rows the bot writes during a copy are not half-seen",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 2000 })
        yield* withSqlite(legacy.path, (db) => db.pragma("journal_mode = WAL"))
        const pg = yield* freshPostgres
        const before = yield* withSqlite(legacy.path, (db) => ({
          messages: Number(db.prepare("SELECT count(*) FROM messages").pluck().get()),
          documents: Number(db.prepare("SELECT count(*) FROM documents").pluck().get())
        }))
        // The bot writes while the copy runs: once the first batch of messages is in, a message and a document.
        const writer = Layer.succeed(Progress, {
          table: (table) =>
            Effect.succeed({
              advance: (): Effect.Effect<void> =>
                table === "messages"
                  ? withSqlite(legacy.path, (db) => {
                      db.prepare(
                        `INSERT OR IGNORE INTO messages (id, timestamp, sender_type, message_content) VALUES ('live-1', 1, 'human', 'x')`
                      ).run()
                      db.prepare(
                        `INSERT OR IGNORE INTO documents (id, title, content, created_by) VALUES ('live-doc', 't', 'c', 'u')`
                      ).run()
                    })
                  : Effect.void,
              done: Effect.void
            })
        })
        const summary = yield* copyData({ rejectsPath: join(legacy.dir, "rejects.jsonl"), batchRows: 500 }).pipe(
          Effect.provide(Layer.merge(copyLayers(legacy.path, pg), writer))
        )
        expect(summary.warnings.join("\n")).not.toMatch(/WAL/)
        expect(yield* countRows(pg.plainUrl, "messages")).toBe(before.messages)
        expect(yield* countRows(pg.plainUrl, "documents")).toBe(before.documents)
        // The writes happened, and a rerun picks them up.
        const again = yield* copyData({ rejectsPath: join(legacy.dir, "rejects.jsonl") }).pipe(
          Effect.provide(copyLayers(legacy.path, pg))
        )
        expect(again.totals.written).toBe(2)
      }),
    120_000
  )
})
