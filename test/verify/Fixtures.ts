/**
 * Two real databases made identical through the Stores (every WriteOp applied to both), for the verify and
 * repair tests: a SQLite file in a temp directory and a PostgreSQL database of its own.
 */
import { Effect, Layer, Schema } from "effect"
import type { Columns } from "../../src/runtime/domain/Column.js"
import {
  Document,
  DocumentCollaborator,
  documentCollaboratorColumns,
  documentColumns
} from "../../src/runtime/domain/Document.js"
import type { Backend } from "../../src/runtime/domain/Errors.js"
import { Message, messageColumns } from "../../src/runtime/domain/Message.js"
import { Query, queryColumns } from "../../src/runtime/domain/Query.js"
import { UserAnalysisHistory, userAnalysisHistoryColumns } from "../../src/runtime/domain/UserAnalysisHistory.js"
import { UserProfile, userProfileColumns } from "../../src/runtime/domain/UserProfile.js"
import type { WriteOp } from "../../src/runtime/domain/WriteOp.js"
import * as PostgresDatabase from "../../src/runtime/layers/PostgresDatabase.js"
import * as SqliteDatabase from "../../src/runtime/layers/SqliteDatabase.js"
import { databases } from "../../src/programs/verify/Databases.js"
import type { VerifyOptions } from "../../src/programs/verify/VerifyOptions.js"
import type { CheckName, VerifyReport } from "../../src/programs/verify/VerifyReport.js"
import { tempPostgres, tempSqlite } from "../support/TestDatabases.js"

/** Both databases, fresh for each test that provides this layer. */
export const freshDatabases = () =>
  Layer.unwrapScoped(
    Effect.gen(function* () {
      const sqlite = yield* tempSqlite()
      const postgres = yield* tempPostgres()
      return Layer.merge(SqliteDatabase.layer(sqlite), PostgresDatabase.layer(postgres))
    })
  )

/** A full row: every column NULL unless given, checked against the table's Schema. */
const rowOf =
  <A, I>(columns: Columns, schema: Schema.Schema<A, I>) =>
  (values: Readonly<Record<string, unknown>>): A =>
    Schema.decodeUnknownSync(schema)({
      ...Object.fromEntries(Object.keys(columns).map((name) => [name, null])),
      ...values
    })

const message = rowOf(messageColumns, Message)
const query = rowOf(queryColumns, Query)
const document = rowOf(documentColumns, Document)
const collaborator = rowOf(documentCollaboratorColumns, DocumentCollaborator)
const profile = rowOf(userProfileColumns, UserProfile)
const history = rowOf(userAnalysisHistoryColumns, UserAnalysisHistory)

const t0 = 1_700_000_000_000
const contents = [
  "Hello everyone, the weather is lovely today",
  "Anyone up for a database migration party",
  "PostgreSQL handles concurrency beautifully",
  "Zürich café mañana 日本語 unicode words",
  "Tool: search",
  "Remember the quarterly report deadline",
  "Bob shares a playlist with jazz and blues",
  "The bot answered with a thoughtful summary",
  "Checking whether full text search agrees",
  "Timeline queries should use their index",
  "JSONB lookups by metadata key work fine",
  "Last message of the seed data"
]

export const messageId = (i: number) => `m-${String(i).padStart(2, "0")}`

/** The rows both databases start with: every table, several pages of messages, JSON of every shape. */
export const seedOps: ReadonlyArray<WriteOp> = [
  ...contents.map((content, i): WriteOp => ({
    _tag: "InsertMessage",
    row: message({
      id: messageId(i),
      timestamp: t0 + i * 1000,
      sender_type: content.startsWith("Tool:") ? "tool" : i % 3 === 1 ? "ai" : "human",
      user_id: i % 3 === 0 ? "u-bob" : "u-alice",
      username: i % 3 === 0 ? "bob" : "alice",
      channel_id: "c-1",
      message_content: content,
      tool_name: content.startsWith("Tool:") ? "search" : null,
      tool_args: content.startsWith("Tool:") ? { q: "weather", limit: 5 } : null,
      metadata: { topic: "general", mood: i, nested: { z: [1, 2.5, null], a: true } },
      created_at: (t0 + i * 1000) / 1000
    })
  })),
  {
    _tag: "InsertQuery",
    row: query({
      id: "q-1",
      timestamp: t0,
      user_id: "u-alice",
      username: "alice",
      query_text: "how many messages?",
      query_result: [{ count: 12 }],
      result_count: 1
    })
  },
  {
    _tag: "InsertQuery",
    row: query({
      id: "q-2",
      timestamp: t0 + 1,
      user_id: "u-bob",
      username: "bob",
      query_text: "raw",
      query_result: "raw result text, not JSON"
    })
  },
  {
    _tag: "CreateDocument",
    document: document({ id: "d-1", title: "Plan", content: "steps", created_by: "u-alice", is_public: false }),
    owner: collaborator({ id: "dc-1", document_id: "d-1", user_id: "u-alice", role: "owner", joined_at: 1_700_000_000 })
  },
  {
    _tag: "UpsertCollaborator",
    row: collaborator({ id: "dc-2", document_id: "d-1", user_id: "u-bob", role: "editor", joined_at: 1_700_000_001 })
  },
  {
    _tag: "InsertProfile",
    row: profile({
      id: "p-1",
      user_id: "u-alice",
      username: "alice",
      secondary_archetypes: ["sage", "explorer"],
      archetype_confidence: 0.75,
      openness_score: 80,
      first_seen_at: 1_700_000_000,
      last_interaction_at: 1_700_000_100,
      message_count: 8
    })
  },
  {
    _tag: "InsertAnalysisHistory",
    row: history({
      id: "h-1",
      user_id: "u-alice",
      analysis_timestamp: 1_700_000_050,
      feelings_snapshot: { warmth: 0.8 },
      personality_snapshot: "free text from an older analysis"
    })
  }
]

/** Applies the same ops to both databases through their Stores. */
export const applyToBoth = (ops: ReadonlyArray<WriteOp>) =>
  Effect.gen(function* () {
    const db = yield* databases
    for (const op of ops) {
      yield* db.sqliteStore.apply(op)
      yield* db.postgresStore.apply(op)
    }
  })

export const seedBoth = applyToBoth(seedOps)

/** Raw SQL on one database, as a tampering operator or a legacy bot would run it. */
export const rawSql = (backend: Backend, statement: string) =>
  Effect.gen(function* () {
    const db = backend === "sqlite" ? yield* SqliteDatabase.SqliteDatabase : yield* PostgresDatabase.PostgresDatabase
    return yield* db.sql.unsafe(statement)
  })

/**
 * A collaborator of a document that does not exist, as the legacy bot left them: it never enabled foreign keys
 * (better-sqlite3 does by default, so they are switched off for the insert).
 */
export const plantSqliteOrphan = Effect.gen(function* () {
  yield* rawSql("sqlite", "PRAGMA foreign_keys = OFF")
  yield* rawSql(
    "sqlite",
    "INSERT INTO document_collaborators (id, document_id, user_id, role) VALUES ('dc-orphan', 'd-gone', 'u-x', 'editor')"
  )
  yield* rawSql("sqlite", "PRAGMA foreign_keys = ON")
})

/** Options for quick, deterministic runs: tiny pages so every table spans several of them. */
export const testOptions: Partial<VerifyOptions> = {
  primary: "sqlite",
  pageSize: 4,
  latencyRuns: 5,
  searchSamples: 3
}

export const checkOf = (report: VerifyReport, name: CheckName) => {
  const found = report.checks.find((c) => c.name === name)
  if (found === undefined) throw new Error(`no check ${name}`)
  return found
}

export const statuses = (report: VerifyReport) => Object.fromEntries(report.checks.map((c) => [c.name, c.status]))

/**
 * Puts back the legacy FTS update trigger (a plain DELETE on an external-content table), then makes the same edit
 * on both sides: the rows still agree, only SQLite's index goes stale.
 */
export const plantLegacyFtsBug = Effect.gen(function* () {
  yield* rawSql("sqlite", "DROP TRIGGER messages_fts_update")
  yield* rawSql(
    "sqlite",
    `CREATE TRIGGER messages_fts_update AFTER UPDATE ON messages BEGIN
          DELETE FROM messages_fts WHERE rowid = old.rowid;
          INSERT INTO messages_fts(rowid, message_content, tool_name, username)
          VALUES (new.rowid, new.message_content, new.tool_name, new.username);
        END`
  )
  for (const backend of ["sqlite", "postgres"] as const) {
    yield* rawSql(backend, "UPDATE messages SET message_content = 'rewritten entirely' WHERE id = 'm-02'")
  }
})
