/**
 * `copy` and `import` into the embedded PGlite server, which cannot take COPY FROM STDIN: the copy engine learns
 * that on its own and loads the same COPY text as INSERTs (src/programs/data/InsertFallback.ts), with the
 * default settings (deferred indexes) on the server's single connection. The result must be exactly what COPY
 * gives on a real PostgreSQL: the same rows, the same rejects for the same reasons, the same indexes. Rows
 * PostgreSQL itself refuses (a CHECK the legacy file did not enforce) sit in the middle of INSERT batches and must
 * be isolated and rejected one by one, as with COPY.
 */
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import type Pg from "pg"
import { embeddedPostgresOptions, start } from "../../src/programs/embedded/EmbeddedPostgres.js"
import { supportsCopyFromStdin } from "../../src/programs/embedded/CopyFromStdinSupport.js"
import { tables } from "../../src/runtime/domain/Tables.js"
import * as PostgresDatabase from "../../src/runtime/layers/PostgresDatabase.js"
import { copyData } from "../../src/programs/data/CopyData.js"
import { exportData } from "../../src/programs/data/ExportData.js"
import { importData } from "../../src/programs/data/ImportData.js"
import { isRowLevel, pgSession } from "../../src/programs/data/PgSession.js"
import * as SqliteSource from "../../src/programs/data/SqliteSource.js"
import {
  copyLayers,
  dump,
  freshPostgres,
  indexDefinitions,
  legacyDatabase,
  withSqlite
} from "../migration/support/Fixtures.js"

/** Messages whose sender_type breaks PostgreSQL's CHECK; SQLite let them in with its checks switched off. */
const refusedIds = ["check-refused-1", "check-refused-2", "check-refused-3"]

const plantRows = (path: string) =>
  withSqlite(path, (db) => {
    db.pragma("ignore_check_constraints = ON")
    const insert = db.prepare(
      `INSERT INTO messages (id, timestamp, sender_type, user_id, message_content, metadata) VALUES (?, ?, ?, ?, ?, ?)`
    )
    // Ids spread over the key range, so each lands inside a batch of valid rows.
    for (const id of refusedIds) insert.run(id, 1, "robot", "user-refused", "refused by the CHECK", null)
    insert.run(
      "quirky-text",
      2,
      "human",
      "user-quirky",
      "tab\there\nnew line\r\nback\\slash \\N not null 日本語 🎉",
      '{"a":"tab\\there","list":[1,2.5,null,true],"q":"\\""}'
    )
  })

/** Every table as sorted JSON rows, read through the pool (the embedded server takes no second connection). */
const dumpThrough = (pool: Pg.Pool) =>
  Effect.promise(async () => {
    const out: Record<string, ReadonlyArray<string>> = {}
    for (const table of tables) {
      const result = await pool.query<{ row: string }>(
        `SELECT row_to_json(t)::text AS row FROM ${table.name} t ORDER BY id COLLATE "C"`
      )
      out[table.name] = result.rows.map((r) => r.row)
    }
    return out
  })

const indexesThrough = (pool: Pg.Pool) =>
  Effect.promise(async () =>
    (
      await pool.query<{ d: string }>(`SELECT indexdef AS d FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`)
    ).rows.map((r) => r.d)
  )

interface RejectLine {
  readonly table: string
  readonly key: string
  readonly kind: string
  readonly reason: string
}

const rejectKeys = (file: string) =>
  fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as RejectLine)
    .map((r) => `${r.table}/${r.key}/${r.kind}/${r.reason.replace(/ \(.*\)$/, "")}`)
    .sort()

/** An embedded server for the scope, and our PostgresDatabase on it (schema migrated), open for the scope. */
const embeddedDatabase = Effect.gen(function* () {
  const server = yield* start()
  const context = yield* Layer.build(PostgresDatabase.layer(embeddedPostgresOptions(server)))
  return Context.get(context, PostgresDatabase.PostgresDatabase)
})

describe("copy into the embedded PostgreSQL (no COPY FROM STDIN)", () => {
  it.scopedLive(
    "copy and import fall back to INSERTs and end exactly where COPY ends on a real PostgreSQL",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 1500, quirks: true })
        yield* plantRows(legacy.path)
        // A small batch, so the load takes many INSERT batches and refused rows are isolated inside them.
        const settings = { batchRows: 200 }

        const real = yield* freshPostgres
        const realRejects = join(legacy.dir, "real.jsonl")
        const viaCopy = yield* copyData({ ...settings, rejectsPath: realRejects }).pipe(
          Effect.provide(copyLayers(legacy.path, real))
        )

        const embedded = yield* embeddedDatabase
        expect(yield* supportsCopyFromStdin(embedded.sql)).toBe(false)
        const embeddedRejects = join(legacy.dir, "embedded.jsonl")
        const viaInserts = yield* copyData({ ...settings, rejectsPath: embeddedRejects }).pipe(
          Effect.provide(SqliteSource.layer(legacy.path)),
          Effect.provideService(PostgresDatabase.PostgresDatabase, embedded)
        )

        // Every row read is written or rejected, and the counts are those of the COPY load.
        expect(viaInserts.totals).toEqual(viaCopy.totals)
        expect(viaInserts.totals.read).toBe(viaInserts.totals.written + viaInserts.totals.rejected)
        expect(viaInserts.totals.rejected).toBeGreaterThan(refusedIds.length)
        const rejects = rejectKeys(embeddedRejects)
        expect(rejects).toEqual(rejectKeys(realRejects))
        for (const id of refusedIds) {
          expect(rejects.find((r) => r.startsWith(`messages/${id}/`))).toMatch(
            /postgres\/refused by PostgreSQL: .*check constraint.* \[23514\]$/
          )
        }
        expect(yield* dumpThrough(embedded.pool)).toEqual(yield* dump(real.plainUrl))
        // Deferred indexes were dropped and built again on the one connection: the same indexes as before.
        expect(yield* indexesThrough(embedded.pool)).toEqual(yield* indexDefinitions(real.plainUrl))
        const quirky = yield* Effect.promise(() =>
          embedded.pool.query<{ message_content: string; list: string }>(
            `SELECT message_content, metadata->'list' AS list FROM messages WHERE id = 'quirky-text'`
          )
        )
        expect(quirky.rows[0]).toEqual({
          message_content: "tab\there\nnew line\r\nback\\slash \\N not null 日本語 🎉",
          list: [1, 2.5, null, true]
        })

        // A rerun meets every row already there: the fast path's INSERT batch fails on the key, the staged path
        // skips them; nothing is written twice.
        const rerun = yield* copyData({ ...settings, rejectsPath: join(legacy.dir, "rerun.jsonl") }).pipe(
          Effect.provide(SqliteSource.layer(legacy.path)),
          Effect.provideService(PostgresDatabase.PostgresDatabase, embedded)
        )
        expect(rerun.totals.written).toBe(0)
        expect(rerun.totals.skipped + rerun.totals.rejected).toBe(rerun.totals.read)

        // export + import into another embedded server: the same rows and rejects.
        const exportDir = join(legacy.dir, "export")
        yield* exportData({ outDir: exportDir }).pipe(Effect.provide(SqliteSource.layer(legacy.path)))
        const second = yield* embeddedDatabase
        const importRejects = join(legacy.dir, "import.jsonl")
        const imported = yield* importData({ ...settings, inDir: exportDir, rejectsPath: importRejects }).pipe(
          Effect.provideService(PostgresDatabase.PostgresDatabase, second)
        )
        expect(imported.totals).toEqual(viaCopy.totals)
        expect(rejectKeys(importRejects)).toEqual(rejects)
        expect(yield* dumpThrough(second.pool)).toEqual(yield* dump(real.plainUrl))
      }),
    240_000
  )

  it.scopedLive(
    "a session's copyIn runs as INSERTs: row counts, SQLSTATEs, atomic alone or under the caller's savepoint",
    () =>
      Effect.gen(function* () {
        const embedded = yield* embeddedDatabase
        const session = yield* pgSession("t").pipe(Effect.provideService(PostgresDatabase.PostgresDatabase, embedded))
        yield* session.query(`CREATE TABLE t (id TEXT PRIMARY KEY, n BIGINT, j JSONB)`)
        const copy = `COPY t ("id", "n", "j") FROM STDIN`
        // COPY text: the JSON's own backslash is escaped once more; `\N` is NULL.
        const good = Buffer.from('a\t1\t{"x": "tab\\\\there"}\nb\t\\N\t\\N\n', "utf8")
        const withBadRow = Buffer.from("c\t3\t[]\nd\tnot a number\t[]\ne\t5\t[]\n", "utf8")

        expect(yield* session.copyIn(copy, good)).toBe(2)
        // Alone: the bad row fails the whole payload, with the SQLSTATE COPY reports; nothing of it lands.
        const alone = yield* Effect.flip(session.copyIn(copy, withBadRow))
        expect(alone.code).toBe("22P02")
        expect(isRowLevel(alone)).toBe(true)
        // A key already there: a constraint violation, row-level too.
        const duplicate = yield* Effect.flip(session.copyIn(copy, good))
        expect(duplicate.code).toBe("23505")

        // Under the caller's savepoint, as the writer isolates rows: roll back, send the good rows alone.
        yield* session.query("BEGIN; SAVEPOINT batch")
        expect((yield* Effect.flip(session.copyIn(copy, withBadRow))).code).toBe("22P02")
        yield* session.query("ROLLBACK TO SAVEPOINT batch")
        expect(yield* session.copyIn(copy, Buffer.from("c\t3\t[]\ne\t5\t[]\n", "utf8"))).toBe(2)
        yield* session.query("COMMIT")

        const rows = yield* session.query<{ id: string; n: number | null; j: unknown }>(
          `SELECT id, n, j FROM t ORDER BY id`
        )
        expect(rows.rows).toEqual([
          { id: "a", n: 1, j: { x: "tab\there" } },
          { id: "b", n: null, j: null },
          { id: "c", n: 3, j: [] },
          { id: "e", n: 5, j: [] }
        ])
      }),
    60_000
  )
})
