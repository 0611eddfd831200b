/**
 * The bot's connection functions through the package root (contract §2.1, §2.3, §2.4, §2.8; K17, K20, K21):
 * the raw client's result shapes on the services' own database, its writes (market_predictions), close and reuse,
 * initializeSchema on a legacy file and in a PostgreSQL-primary mode, and a Turso location (tested on a `file:`
 * URL: no libSQL server runs here) serving the services, the raw client and the migrations.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import {
  closeDatabase,
  exportAllTables,
  getDatabase,
  getMessageById,
  getMessageCount,
  getOrCreateUserProfile,
  initializeDatabase,
  initializeSchema,
  queryMessages,
  saveAIMessage,
  saveToolExecution
} from "../../src/index.js"
import { generateLegacyDatabase } from "../../src/testkit/index.js"
import { tempDir } from "../support/TestDatabases.js"
import { pause, postgresExec, sqliteExec, useDefaultDatabase } from "./support/DefaultDatabaseEnv.js"

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error
  )

const message = (content: string, channelName = "general") => ({
  userId: "u1",
  username: "alice",
  channelId: "c1",
  channelName,
  messageContent: content
})

/** The bot's own table (apps/bot/src/agent/tools/marketPrediction.ts:56–92), created through the raw client. */
const marketPredictionsDdl = `CREATE TABLE IF NOT EXISTS market_predictions (
  id TEXT PRIMARY KEY,
  date TEXT NOT NULL,
  prediction_text TEXT NOT NULL,
  predictions_json TEXT NOT NULL,
  black_swan_factors TEXT,
  geopolitical_context TEXT,
  created_at INTEGER DEFAULT (strftime('%s', 'now'))
)`

/** A describe block's own environment, restored after it; the raw client and the default database closed. */
const useEnvironment = (setup: (dir: string) => Record<string, string>) => {
  let scope: Scope.CloseableScope | undefined
  let saved: NodeJS.ProcessEnv = {}
  let dir = ""
  beforeAll(async () => {
    saved = { ...process.env }
    scope = Effect.runSync(Scope.make())
    dir = await Effect.runPromise(Scope.extend(tempDir, scope))
    for (const name of ["SQLITE_PATH", "TURSO_DATABASE_URL", "TURSO_AUTH_TOKEN", "NODE_ENV"]) delete process.env[name]
    for (const name of ["USE_POSTGRES_PRIMARY", "USE_POSTGRES_READ", "USE_POSTGRES_SHADOW"]) delete process.env[name]
    Object.assign(process.env, setup(dir))
  })
  afterAll(async () => {
    await closeDatabase()
    process.env = saved
    if (scope !== undefined) await Effect.runPromise(Scope.close(scope, Exit.void))
  })
  return { dir: () => dir }
}

describe("the raw client on the services' SQLite file", () => {
  const env = useDefaultDatabase("sqlite")
  afterAll(() => closeDatabase())

  it("initializeDatabase is synchronous and idempotent; getDatabase returns the same client", () => {
    const client = initializeDatabase()
    expect(client).not.toBeInstanceOf(Promise)
    expect(initializeDatabase()).toBe(client)
    expect(getDatabase()).toBe(client)
  })

  it("rows are plain objects keyed by column name in select order, integers are numbers, NULL is null", async () => {
    const id = await saveAIMessage(message("first answer"))
    await pause()
    await saveToolExecution({ ...message(""), toolName: "weather", toolArgs: { city: "Oslo" }, toolResult: "sunny" })

    const result = await getDatabase().execute(
      "SELECT message_content, timestamp, sender_type, guild_id, id FROM messages ORDER BY timestamp"
    )
    expect(result.columns).toEqual(["message_content", "timestamp", "sender_type", "guild_id", "id"])
    expect(result.rows).toHaveLength(2)
    const [first, second] = result.rows
    expect(Object.keys(first!)).toEqual(["message_content", "timestamp", "sender_type", "guild_id", "id"])
    expect({ ...first }).toEqual({
      message_content: "first answer",
      timestamp: expect.any(Number),
      sender_type: "ai",
      guild_id: null,
      id
    })
    expect(JSON.parse(JSON.stringify(first))).toEqual({ ...first })
    expect(second!["message_content"]).toBe("Tool: weather")
    // timestamp is in ms (K7): the bot's new Date(timestamp) must be now, not 1970.
    expect(Math.abs(Number(first!["timestamp"]) - Date.now())).toBeLessThan(60_000)

    // The object form with positional arguments, as queryDatabase.ts and generateStandupSummary.ts call it.
    const since = await getDatabase().execute({
      sql: "SELECT COUNT(*) AS n FROM messages WHERE timestamp >= ? AND channel_name = ?",
      args: [Date.now() - 3_600_000, "general"]
    })
    expect(since.columns).toEqual(["n"])
    expect(since.rows[0]!["n"]).toBe(2)
  })

  it("is read-write: the bot's market_predictions table is created, written and read through it", async () => {
    const db = getDatabase()
    await db.execute(marketPredictionsDdl)
    await db.execute("CREATE INDEX IF NOT EXISTS idx_market_predictions_date ON market_predictions(date DESC)")
    const id = `pred-${Date.now()}-abc123`
    await db.execute({
      sql: `INSERT INTO market_predictions (id, date, prediction_text, predictions_json, black_swan_factors, geopolitical_context)
            VALUES (?, ?, ?, ?, ?, ?)`,
      args: [id, "2026-01-02", "Markets up", JSON.stringify([{ asset: "BTC" }]), JSON.stringify(["war"]), "calm"]
    })
    const read = await db.execute({
      sql: "SELECT date, prediction_text, created_at FROM market_predictions ORDER BY date DESC LIMIT ?",
      args: [10]
    })
    expect(read.rows.map((row) => ({ ...row }))).toEqual([
      { date: "2026-01-02", prediction_text: "Markets up", created_at: expect.any(Number) }
    ])
    // The services' file holds it: the same database, not a second one.
    expect(sqliteExec(env.sqlitePath(), "SELECT id FROM market_predictions")).toEqual([{ id }])
  })

  it("sees what the services wrote and the services see the schema it shares", async () => {
    const profile = await getOrCreateUserProfile("u9", "zed")
    const found = await getDatabase().execute({
      sql: "SELECT user_id FROM user_profiles WHERE username = ?",
      args: ["zed"]
    })
    expect(found.rows.map((row) => row["user_id"])).toEqual([profile.user_id])
    const columns = await getDatabase().execute("SELECT * FROM user_profiles LIMIT 1")
    expect(columns.columns).toHaveLength(116)
  })

  it("closeDatabase closes the client and the services; both reopen on the next call", async () => {
    const before = getDatabase()
    const count = await getMessageCount({})
    await closeDatabase()
    expect(before.closed).toBe(true)
    expect(await rejection(before.execute("SELECT 1"))).toBeInstanceOf(Error)
    // A second close with nothing open is a no-op.
    await closeDatabase()

    const after = getDatabase()
    expect(after).not.toBe(before)
    expect((await after.execute("SELECT COUNT(*) AS n FROM messages")).rows[0]!["n"]).toBe(count)
    expect(await getMessageCount({})).toBe(count)
    await saveAIMessage(message("after reopening"))
    expect(await getMessageCount({})).toBe(count + 1)
  })
})

describe("initializeSchema on a legacy database", () => {
  const env = useEnvironment((dir) => ({ SQLITE_PATH: join(dir, "legacy.db") }))

  it("upgrades it in place, keeps its rows, and changes nothing the second time", async () => {
    const path = join(env.dir(), "legacy.db")
    const summary = await Effect.runPromise(generateLegacyDatabase({ path, form: "early", messages: 120, seed: 3 }))
    const columnsBefore = sqliteExec(path, "SELECT name FROM pragma_table_info('user_profiles')").length
    expect(columnsBefore).toBe(98)

    await initializeSchema()
    const columns = sqliteExec(path, "SELECT name FROM pragma_table_info('user_profiles')").map((r) => r["name"])
    expect(columns).toHaveLength(116)
    expect(columns.slice(-18)).toContain("personal_model_adjustments")
    const migrations = sqliteExec(path, "SELECT migration_id, name FROM effect_sql_migrations ORDER BY migration_id")
    expect(migrations.length).toBeGreaterThan(0)
    expect(sqliteExec(path, "SELECT COUNT(*) AS n FROM messages")).toEqual([{ n: summary.counts.messages }])
    expect(sqliteExec(path, "SELECT COUNT(*) AS n FROM user_profiles")).toEqual([{ n: summary.counts.user_profiles }])
    const objects = sqliteExec(
      path,
      "SELECT type, name FROM sqlite_master WHERE name LIKE 'messages_fts%' ORDER BY name"
    )
    expect(objects.map((o) => o["name"])).toContain("messages_fts")

    const catalogue = () => sqliteExec(path, "SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
    const before = catalogue()
    await initializeSchema()
    expect(catalogue()).toEqual(before)
    expect(sqliteExec(path, "SELECT migration_id, name FROM effect_sql_migrations ORDER BY migration_id")).toEqual(
      migrations
    )
    // The search finds the legacy rows through the rebuilt index.
    const [first] = sqliteExec(path, "SELECT message_content FROM messages WHERE sender_type = 'human' LIMIT 1")
    const word = String(first!["message_content"]).match(/[a-z]{4,}/i)?.[0] ?? ""
    expect((await queryMessages({ searchText: word })).length).toBeGreaterThan(0)
  })

  it("creates the schema in a new file", async () => {
    process.env["SQLITE_PATH"] = join(env.dir(), "new", "omega.db")
    await initializeSchema()
    const tables = sqliteExec(process.env["SQLITE_PATH"], "SELECT name FROM sqlite_master WHERE type = 'table'")
    expect(tables.map((t) => t["name"])).toEqual(
      expect.arrayContaining([
        "messages",
        "queries",
        "documents",
        "document_collaborators",
        "user_profiles",
        "user_analysis_history"
      ])
    )
  })
})

describe("initializeSchema with PostgreSQL as the primary", () => {
  const env = useDefaultDatabase("postgres")

  it("migrates PostgreSQL as well as the SQLite file", async () => {
    await initializeSchema()
    const applied = await postgresExec(env.postgresUrl(), "SELECT COUNT(*)::int AS n FROM effect_sql_migrations")
    expect(applied[0]!["n"]).toBeGreaterThan(0)
    const tables = await postgresExec(
      env.postgresUrl(),
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'user_profiles'"
    )
    expect(tables).toHaveLength(1)
    expect(sqliteExec(env.sqlitePath(), "SELECT COUNT(*) AS n FROM effect_sql_migrations")[0]!["n"]).toBeGreaterThan(0)
  })
})

describe("a Turso location (TURSO_DATABASE_URL + TURSO_AUTH_TOKEN, here a file: URL)", () => {
  const env = useEnvironment((dir) => ({
    TURSO_DATABASE_URL: `file:${join(dir, "turso.db")}`,
    TURSO_AUTH_TOKEN: "any-token"
  }))

  it("serves the schema, the services and the raw client from that database", async () => {
    const file = join(env.dir(), "turso.db")
    await initializeSchema()
    // The migrations ran there, through libSQL.
    expect(sqliteExec(file, "SELECT COUNT(*) AS n FROM effect_sql_migrations")[0]!["n"]).toBeGreaterThan(0)

    const id = await saveAIMessage(message("hello from turso"))
    expect((await getMessageById(id))?.message_content).toBe("hello from turso")
    expect((await queryMessages({ searchText: "turso" })).map((m) => m.id)).toEqual([id])
    await getOrCreateUserProfile("u1", "alice")

    const raw = await getDatabase().execute({
      sql: "SELECT id, message_content FROM messages WHERE id = ?",
      args: [id]
    })
    expect(raw.rows.map((row) => ({ ...row }))).toEqual([{ id, message_content: "hello from turso" }])
    // Nothing went to the local default file.
    expect(fs.existsSync(join(process.cwd(), "apps", "bot", "data", "omega.db"))).toBe(false)
    expect(sqliteExec(file, "SELECT COUNT(*) AS n FROM user_profiles")).toEqual([{ n: 1 }])
  })

  it("exportAllTables exports it, read from a snapshot in a temporary file", async () => {
    const cwd = process.cwd()
    // The helper writes ./migration-data, as the original did.
    process.chdir(env.dir())
    try {
      await exportAllTables()
    } finally {
      process.chdir(cwd)
    }
    const metadata = JSON.parse(fs.readFileSync(join(env.dir(), "migration-data", "_metadata.json"), "utf8")) as {
      readonly tables: ReadonlyArray<{ readonly name: string; readonly rows: number }>
    }
    expect(metadata.tables.find((t) => t.name === "messages")?.rows).toBe(1)
    expect(metadata.tables.find((t) => t.name === "user_profiles")?.rows).toBe(1)
  })
})
