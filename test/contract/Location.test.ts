/**
 * Where the SQLite database is (contract §2.2, K22, F20): SQLITE_PATH first, then the Turso pair, then /data/omega.db
 * in production with a volume, then apps/bot/data/omega.db under the working directory; the directory is created,
 * the absolute location is logged once, and half a Turso pair is warned about.
 */
import { afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Exit, Logger, Redacted, Scope } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import { vi } from "vitest"
import { closeDatabase, getDatabase, getMessageCount, initializeDatabase } from "../../src/index.js"
import { type SqliteOptions, sqliteOptions, sqliteOptionsWith } from "../../src/runtime/config/DatabaseConfig.js"
import { announceLocation } from "../../src/runtime/config/SqliteLocation.js"
import * as SqliteDatabase from "../../src/runtime/layers/SqliteDatabase.js"
import { tempDir } from "../support/TestDatabases.js"

const optionsIn = (env: Record<string, string>, roots: { dataRoot: string; cwd: string }) =>
  Effect.withConfigProvider(sqliteOptionsWith(roots), ConfigProvider.fromMap(new Map(Object.entries(env))))

/** Every variable the location and mode read, cleared around each test so the host's environment cannot leak in. */
const variables = [
  "SQLITE_PATH",
  "TURSO_DATABASE_URL",
  "TURSO_AUTH_TOKEN",
  "NODE_ENV",
  "USE_POSTGRES_PRIMARY",
  "USE_POSTGRES_READ",
  "USE_POSTGRES_SHADOW"
]

describe("the location rules", () => {
  it.scoped("fall back to apps/bot/data/omega.db under the working directory", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const options = yield* optionsIn({}, { dataRoot: join(dir, "data"), cwd: join(dir, "apps", "bot") })
      // The bot starts in apps/bot, so the original's relative path lands in apps/bot/apps/bot/data (§2.2 item 3).
      expect(options.filename).toBe(join(dir, "apps", "bot", "apps", "bot", "data", "omega.db"))
      expect(options.location).toEqual({ _tag: "File", path: options.filename, rule: "working directory" })
      expect(options.warnings).toEqual([])
    })
  )

  it.scoped("use /data/omega.db only in production and only when /data is a directory", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const volume = join(dir, "volume")
      const cwd = join(dir, "cwd")
      const roots = { dataRoot: volume, cwd }
      const local = join(cwd, "apps", "bot", "data", "omega.db")

      // No volume yet: production or not, the cwd-relative file.
      expect((yield* optionsIn({ NODE_ENV: "production" }, roots)).filename).toBe(local)
      fs.writeFileSync(volume, "a file, not a volume")
      expect((yield* optionsIn({ NODE_ENV: "production" }, roots)).filename).toBe(local)
      fs.rmSync(volume)
      fs.mkdirSync(volume)

      const production = yield* optionsIn({ NODE_ENV: "production" }, roots)
      expect(production.filename).toBe(join(volume, "omega.db"))
      expect(production.location).toMatchObject({ _tag: "File", rule: "production volume" })
      // Exactly 'production', as isProductionWithVolume tests it.
      expect((yield* optionsIn({ NODE_ENV: "development" }, roots)).filename).toBe(local)
      expect((yield* optionsIn({ NODE_ENV: "Production" }, roots)).filename).toBe(local)
      expect((yield* optionsIn({}, roots)).filename).toBe(local)
    })
  )

  it.scoped("use Turso when both variables are non-empty, without the token in any string", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const roots = { dataRoot: dir, cwd: dir }
      const url = "libsql://omega-bot.turso.io?authToken=secret-in-url"
      const options = yield* optionsIn(
        { TURSO_DATABASE_URL: url, TURSO_AUTH_TOKEN: "secret-token", NODE_ENV: "production" },
        roots
      )
      expect(options.location?._tag).toBe("Turso")
      if (options.location?._tag !== "Turso") return
      expect(Redacted.value(options.location.url)).toBe(url)
      expect(Redacted.value(options.location.authToken)).toBe("secret-token")
      expect(options.filename).toBe("libsql://omega-bot.turso.io")
      expect(JSON.stringify(options)).not.toContain("secret")
      expect(options.warnings).toEqual([])
    })
  )

  it.scoped("fall back to the file with a warning when only one Turso variable is set", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const roots = { dataRoot: join(dir, "none"), cwd: dir }
      const local = join(dir, "apps", "bot", "data", "omega.db")
      const urlOnly = yield* optionsIn({ TURSO_DATABASE_URL: "libsql://x.turso.io" }, roots)
      expect(urlOnly.filename).toBe(local)
      expect(urlOnly.warnings).toEqual([
        "TURSO_DATABASE_URL is set but TURSO_AUTH_TOKEN is not: Turso needs both, so the local SQLite file is used"
      ])
      const tokenOnly = yield* optionsIn({ TURSO_AUTH_TOKEN: "t" }, roots)
      expect(tokenOnly.filename).toBe(local)
      expect(tokenOnly.warnings?.[0]).toMatch(/^TURSO_AUTH_TOKEN is set but TURSO_DATABASE_URL is not/)
      // An empty value is no value (the original tested truthiness).
      const emptyToken = yield* optionsIn({ TURSO_DATABASE_URL: "libsql://x.turso.io", TURSO_AUTH_TOKEN: "" }, roots)
      expect(emptyToken.location?._tag).toBe("File")
      expect(emptyToken.warnings).toHaveLength(1)
    })
  )

  it.scoped("let SQLITE_PATH win over Turso and the volume, and say that Turso is ignored", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const roots = { dataRoot: dir, cwd: dir }
      const env = { SQLITE_PATH: "./somewhere/omega.db", NODE_ENV: "production" }
      const plain = yield* optionsIn(env, roots)
      expect(plain.filename).toBe("./somewhere/omega.db")
      expect(plain.location).toEqual({ _tag: "File", path: "./somewhere/omega.db", rule: "SQLITE_PATH" })
      expect(plain.warnings).toEqual([])
      const withTurso = yield* optionsIn({ ...env, TURSO_DATABASE_URL: "libsql://x", TURSO_AUTH_TOKEN: "t" }, roots)
      expect(withTurso.location?._tag).toBe("File")
      expect(withTurso.warnings).toEqual(["SQLITE_PATH is set, so TURSO_DATABASE_URL and TURSO_AUTH_TOKEN are ignored"])
    })
  )

  it.effect("read /data and the working directory when the configuration is read, by default", () =>
    Effect.gen(function* () {
      const options = yield* Effect.withConfigProvider(sqliteOptions, ConfigProvider.fromMap(new Map()))
      const expected = fs.existsSync("/data") ? "/data/omega.db" : join(process.cwd(), "apps/bot/data/omega.db")
      // Without NODE_ENV=production the volume is never used.
      expect(options.filename).toBe(join(process.cwd(), "apps/bot/data/omega.db"))
      const production = yield* Effect.withConfigProvider(
        sqliteOptions,
        ConfigProvider.fromMap(new Map([["NODE_ENV", "production"]]))
      )
      expect(production.filename).toBe(expected)
    })
  )
})

describe("opening the chosen database", () => {
  it.scoped("creates the missing parent directories of the file", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const options: SqliteOptions = yield* optionsIn({}, { dataRoot: join(dir, "none"), cwd: dir })
      expect(fs.existsSync(join(dir, "apps"))).toBe(false)
      yield* Effect.scoped(Effect.provide(SqliteDatabase.SqliteDatabase, SqliteDatabase.layer(options)))
      expect(fs.existsSync(join(dir, "apps", "bot", "data", "omega.db"))).toBe(true)
    })
  )

  it.effect("logs the absolute location once and every warning", () =>
    Effect.gen(function* () {
      const lines: Array<string> = []
      const capture = Logger.replace(
        Logger.defaultLogger,
        Logger.make(({ message }) => lines.push(String(Array.isArray(message) ? message.join(" ") : message)))
      )
      const location = {
        _tag: "File",
        path: `./relative-${process.pid}-${Date.now()}/omega.db`,
        rule: "SQLITE_PATH"
      } as const
      const warnings = ["TURSO_DATABASE_URL is set but TURSO_AUTH_TOKEN is not: Turso needs both"]
      yield* announceLocation({ location, warnings }).pipe(Effect.provide(capture))
      yield* announceLocation({ location, warnings }).pipe(Effect.provide(capture))
      expect(lines).toEqual([warnings[0], `SQLite database: ${join(process.cwd(), location.path)}`])
    })
  )
})

describe("the raw client and the services on the configured location", () => {
  let saved: NodeJS.ProcessEnv = {}
  let cwd = ""
  beforeEach(() => {
    saved = { ...process.env }
    cwd = process.cwd()
    for (const name of variables) delete process.env[name]
  })
  afterEach(async () => {
    await closeDatabase()
    process.chdir(cwd)
    process.env = saved
    vi.restoreAllMocks()
  })

  it("open apps/bot/data/omega.db under the working directory, creating it, logging once and warning", async () => {
    const scope = Effect.runSync(Scope.make())
    try {
      const dir = await Effect.runPromise(Scope.extend(tempDir, scope))
      process.chdir(dir)
      process.env["TURSO_DATABASE_URL"] = "libsql://half.turso.io"
      const log = vi.spyOn(console, "log").mockImplementation(() => {})

      const client = initializeDatabase()
      const file = join(fs.realpathSync(dir), "apps", "bot", "data", "omega.db")
      await client.execute("CREATE TABLE IF NOT EXISTS probe (x INTEGER)")
      expect(fs.existsSync(file)).toBe(true)
      // The services open the same file (their first call creates the schema there).
      expect(await getMessageCount({})).toBe(0)
      const tables = await getDatabase().execute("SELECT name FROM sqlite_master WHERE name IN ('messages', 'probe')")
      expect(tables.rows.map((r) => r["name"]).sort()).toEqual(["messages", "probe"])

      const logged = log.mock.calls.map((args) => args.map(String).join(" "))
      const located = logged.filter((line) => line.includes("SQLite database:"))
      expect(located).toHaveLength(1)
      expect(located[0]).toContain(file)
      const warned = logged.filter((line) => line.includes("TURSO_DATABASE_URL is set but TURSO_AUTH_TOKEN is not"))
      expect(warned).toHaveLength(1)
      expect(warned[0]).toContain("level=WARN")
    } finally {
      await closeDatabase()
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  })
})
