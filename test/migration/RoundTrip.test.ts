/**
 * SQLite, then export, then import equals the source for every column kind, read back through the services on
 * both backends; and copy ends in exactly the same PostgreSQL data as export + import.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { join } from "node:path"
import { copyData } from "../../src/programs/data/CopyData.js"
import { exportData } from "../../src/programs/data/ExportData.js"
import { importData } from "../../src/programs/data/ImportData.js"
import * as SqliteSource from "../../src/programs/data/SqliteSource.js"
import { postgresBackend, sqliteBackend } from "../../src/runtime/modes/DatabaseLayer.js"
import { DocumentService } from "../../src/runtime/services/DocumentService.js"
import { MessageService } from "../../src/runtime/services/MessageService.js"
import { QueryService } from "../../src/runtime/services/QueryService.js"
import { UserProfileService } from "../../src/runtime/services/UserProfileService.js"
import {
  copyLayers,
  dump,
  freshPostgres,
  indexDefinitions,
  legacyDatabase,
  postgresLayer,
  withClient,
  withSqlite
} from "./support/Fixtures.js"

/** Values at the edges of every column kind, planted beside the generated rows. */
const plantEdgeRows = (path: string) =>
  withSqlite(path, (db) => {
    db.prepare(
      `INSERT INTO messages (id, timestamp, sender_type, user_id, username, channel_id, message_content, tool_name,
         tool_args, tool_result, metadata, sentiment_analysis, response_decision, created_at)
       VALUES (?, ?, 'tool', 'user-edge', ?, 'chan-edge', ?, 'search', ?, ?, ?, ?, ?, NULL)`
    ).run(
      "edge-msg-1",
      1_700_000_123_456,
      'Zoë \\ "quoted"',
      "tab\there\nnew line\r\nback\\slash 日本語 🎉 ''",
      '"just a string"',
      "[]",
      '{"a":"tab\\there","nested":{"list":[1,2.5,"three",null,true]},"emoji":"🎉","q":"\\""}',
      "12.5e3",
      "null"
    )
    db.prepare(
      `INSERT INTO queries (id, timestamp, user_id, username, query_text, query_result, result_count, execution_time_ms, created_at)
       VALUES ('edge-query-1', 1, 'user-edge', 'edge', 'how many?', 'raw result text, not JSON', 0, NULL, 9007199254740991)`
    ).run()
    db.prepare(
      `INSERT INTO documents (id, title, content, created_by, is_public, metadata) VALUES
         ('edge-doc-0', 'private', '', 'user-edge', 0, '{"tags":[]}'),
         ('edge-doc-1', 'public', 'x', 'user-edge', 1, NULL),
         ('edge-doc-n', 'unknown', 'y', 'user-edge', NULL, '"s"')`
    ).run()
    db.prepare(
      `INSERT INTO document_collaborators (id, document_id, user_id, username, role, joined_at)
       VALUES ('edge-collab-1', 'edge-doc-0', 'user-edge', 'Ünïcode', NULL, -1)`
    ).run()
    db.prepare(
      `INSERT INTO user_profiles (id, user_id, username, archetype_confidence, openness_score, message_length_avg,
         emoji_usage_rate, feelings_json, primary_interests, first_seen_at, last_interaction_at, message_count,
         cultural_values, prediction_accuracy_score, zodiac_sign)
       VALUES ('edge-profile-1', 'user-edge', 'edge', 9e999, -7, 1e-300, 0.1, '{"mood":"calm","nested":{"a":[]}}',
         '["a","b"]', 0, 1, 9007199254740991, '[]', -2.5, 'leo')`
    ).run()
    db.prepare(
      `INSERT INTO user_analysis_history (id, user_id, analysis_timestamp, feelings_snapshot, personality_snapshot,
         message_count_at_analysis) VALUES ('edge-hist-1', 'user-edge', 5, 'free text snapshot', '[1,{"x":null}]', 0)`
    ).run()
  })

const idsOf = (path: string) =>
  withSqlite(path, (db) => {
    const ids = (sql: string) => db.prepare(sql).pluck().all() as Array<string>
    return {
      messages: ids("SELECT id FROM messages ORDER BY id"),
      queries: ids("SELECT id FROM queries ORDER BY id"),
      documents: ids("SELECT id FROM documents ORDER BY id"),
      users: ids("SELECT user_id FROM user_profiles ORDER BY user_id")
    }
  })

/** Every row, read through the four services. */
const readAll = (ids: Effect.Effect.Success<ReturnType<typeof idsOf>>) =>
  Effect.gen(function* () {
    const messages = yield* MessageService
    const queries = yield* QueryService
    const documents = yield* DocumentService
    const profiles = yield* UserProfileService
    return {
      messages: yield* Effect.forEach(ids.messages, (id) => Effect.map(messages.getMessageById(id), Option.getOrNull)),
      queries: yield* Effect.forEach(ids.queries, (id) => Effect.map(queries.getQueryById(id), Option.getOrNull)),
      documents: yield* Effect.forEach(ids.documents, (id) => Effect.map(documents.getDocument(id), Option.getOrNull)),
      collaborators: yield* Effect.forEach(ids.documents, (id) => documents.getDocumentCollaborators(id)),
      profiles: yield* Effect.forEach(ids.users, (id) => Effect.map(profiles.getUserProfile(id), Option.getOrNull)),
      history: yield* Effect.forEach(ids.users, (id) => profiles.getAnalysisHistory(id, 100))
    }
  })

describe("data migration round trip", () => {
  it.scopedLive(
    "SQLite → export → import reads back equal for every column kind, and copy loads the same data",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 400 })
        yield* plantEdgeRows(legacy.path)
        const exportDir = join(legacy.dir, "migration-data")
        const imported = yield* freshPostgres
        const copied = yield* freshPostgres
        const copiedInStreams = yield* freshPostgres

        const exported = yield* exportData({ outDir: exportDir }).pipe(Effect.provide(SqliteSource.layer(legacy.path)))
        expect(exported.schemaForm).toBe("full")
        const importSummary = yield* importData({
          inDir: exportDir,
          rejectsPath: join(legacy.dir, "import-rejects.jsonl")
        }).pipe(Effect.provide(postgresLayer(imported)))
        const copySummary = yield* copyData({ rejectsPath: join(legacy.dir, "copy-rejects.jsonl") }).pipe(
          Effect.provide(copyLayers(legacy.path, copied))
        )

        // Indexes maintained during the load, so every table is split into three rowid ranges loaded at once.
        const streamedSummary = yield* copyData({
          rejectsPath: join(legacy.dir, "streams-rejects.jsonl"),
          deferIndexes: false,
          // Two tables at a time, three streams each: within the test pool's eight connections.
          jobs: 2,
          streams: 3,
          minRowsPerStream: 1
        }).pipe(Effect.provide(copyLayers(legacy.path, copiedInStreams)))

        for (const summary of [importSummary, copySummary, streamedSummary]) {
          expect(summary.totals.rejected).toBe(0)
          expect(summary.totals.read).toBe(summary.totals.written)
          expect(summary.rejectsFile).toBeNull()
          for (const table of summary.tables) {
            const expected = exported.tables.find((t) => t.name === table.table)!.rows
            expect([table.table, table.read]).toEqual([table.table, expected])
          }
        }
        expect(importSummary.totals.invalidJson).toBe(2)
        expect(yield* dump(copied.plainUrl)).toEqual(yield* dump(imported.plainUrl))
        expect(streamedSummary.tables.find((t) => t.table === "messages")!.streams).toBe(3)
        expect(copySummary.tables.every((t) => t.streams === 1)).toBe(true)
        expect(yield* dump(copiedInStreams.plainUrl)).toEqual(yield* dump(imported.plainUrl))
        expect(yield* indexDefinitions(copiedInStreams.plainUrl)).toEqual(yield* indexDefinitions(imported.plainUrl))
        // Each loaded table was vacuumed and analysed: statistics for the planner, all-visible pages for counts.
        const maintained = yield* withClient(
          copied.plainUrl,
          async (client) =>
            (
              await client.query<{ relname: string; done: boolean }>(
                `SELECT relname, last_vacuum IS NOT NULL AND last_analyze IS NOT NULL AS done
                 FROM pg_stat_user_tables WHERE relname = ANY($1) ORDER BY relname`,
                [copySummary.tables.map((t) => t.table)]
              )
            ).rows
        )
        expect(maintained).toEqual(
          copySummary.tables
            .map((t) => ({ relname: t.table, done: true }))
            .sort((a, b) => (a.relname < b.relname ? -1 : 1))
        )

        const ids = yield* idsOf(legacy.path)
        const fromSqlite = yield* readAll(ids).pipe(
          Effect.provide(sqliteBackend({ filename: legacy.path, busyTimeoutMs: 5000, migrate: true }))
        )
        const fromPostgres = yield* readAll(ids).pipe(Effect.provide(postgresBackend({ ...imported, migrate: false })))
        expect(fromSqlite.messages.length).toBe(401)
        expect(fromSqlite.messages.every((m) => m !== null)).toBe(true)
        expect(fromPostgres).toEqual(fromSqlite)

        // The tallies the loads left (statement triggers over each COPY, streams at once) are SQLite's, which its
        // upgrade filled from the rows.
        const talliesQuery = "SELECT dimension, key, n FROM row_tallies WHERE n <> 0 ORDER BY dimension, key"
        const sqliteTallies = yield* withSqlite(legacy.path, (db) =>
          (db.prepare(talliesQuery).all() as Array<{ dimension: string; key: string; n: number }>).map((r) => ({
            ...r,
            n: Number(r.n)
          }))
        )
        expect(sqliteTallies.length).toBeGreaterThan(10)
        for (const loaded of [imported, copied, copiedInStreams]) {
          const pgTallies = yield* withClient(loaded.plainUrl, async (client) =>
            (await client.query<{ dimension: string; key: string; n: string }>(talliesQuery)).rows.map((r) => ({
              ...r,
              n: Number(r.n)
            }))
          )
          expect(pgTallies).toEqual(sqliteTallies)
        }

        const edge = fromPostgres.messages.find((m) => m?.id === "edge-msg-1")!
        expect(edge.message_content).toBe("tab\there\nnew line\r\nback\\slash 日本語 🎉 ''")
        expect(edge.tool_args).toBe("just a string")
        expect(edge.sentiment_analysis).toBe(12500)
        expect(fromPostgres.queries.find((q) => q?.id === "edge-query-1")!.query_result).toBe(
          "raw result text, not JSON"
        )
        expect(fromPostgres.documents.filter((d) => d?.id.startsWith("edge-doc")).map((d) => d?.is_public)).toEqual([
          false,
          true,
          null
        ])
        const profile = fromPostgres.profiles.find((p) => p?.id === "edge-profile-1")!
        expect(profile.archetype_confidence).toBe(Infinity)
        expect(profile.message_count).toBe(9007199254740991)
        expect(profile.message_length_avg).toBe(1e-300)
      }),
    120_000
  )
})
