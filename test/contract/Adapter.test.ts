/**
 * The adapter surface through the package root (contract §5.1, §5.2, §4.5, §5.6; F16, F19): the four objects are
 * the bare functions under the §5.2 names, DB_CONFIG reads USE_POSTGRES_* on first access (not at import), the
 * migration helpers move a legacy database into a real PostgreSQL through the export directory (ending in the same
 * data as a direct copy) and report refused rows, and importing the root runs nothing and loads no offline program.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Redacted, Scope } from "effect"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { inspect } from "node:util"
import { vi } from "vitest"
import * as root from "../../src/index.js"
import { copyData } from "../../src/migrate.js"
import * as PostgresDatabase from "../../src/runtime/layers/PostgresDatabase.js"
import { postgresMigrations } from "../../src/runtime/schema/PostgresMigrations.js"
import * as SqliteSource from "../../src/programs/data/SqliteSource.js"
import { generateLegacyDatabase, type LegacyDatabaseSummary } from "../../src/testkit/index.js"
import { dump } from "../migration/support/Fixtures.js"
import { tempDir, tempPostgresUrl } from "../support/TestDatabases.js"
import { postgresExec } from "./support/DefaultDatabaseEnv.js"

const repoRoot = join(import.meta.dirname, "..", "..")

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error
  )

describe("the four adapter objects (§5.2)", () => {
  const expected = {
    messageService: [
      "saveHumanMessage",
      "saveAIMessage",
      "saveToolExecution",
      "queryMessages",
      "getMessageById",
      "getMessageCount"
    ],
    queryService: ["saveQuery", "getRecentQueries", "getQueryById", "getQueryCount"],
    documentService: [
      "createDocument",
      "updateDocumentContent",
      "updateDocumentTitle",
      "deleteDocument",
      "addCollaborator",
      "removeCollaborator",
      "getDocument",
      "listDocuments",
      "getDocumentCount",
      "getDocumentCollaborators",
      "hasDocumentAccess"
    ],
    userProfileService: [
      "createUserProfile",
      "updateUserProfile",
      "saveAnalysisHistory",
      "incrementMessageCount",
      "getUserProfile",
      "getUsersNeedingAnalysis",
      "getAnalysisHistory",
      "getAllUserProfiles",
      "getOrCreateUserProfile"
    ]
  } as const

  it("expose exactly the §5.2 names, each the root's bare function itself", () => {
    for (const [name, methods] of Object.entries(expected)) {
      const service = root[name as keyof typeof expected] as Record<string, unknown>
      expect(Object.keys(service).sort(), name).toEqual([...methods].sort())
      const bare = root as unknown as Record<string, unknown>
      for (const method of methods) expect(service[method], `${name}.${method}`).toBe(bare[method])
    }
  })
})

describe("DB_CONFIG (§5.1)", () => {
  const flags = ["USE_POSTGRES_PRIMARY", "USE_POSTGRES_READ", "USE_POSTGRES_SHADOW"]
  let saved: NodeJS.ProcessEnv = {}
  beforeAll(() => {
    saved = { ...process.env }
  })
  afterAll(() => {
    process.env = saved
  })

  /** The module as a process imports it the first time: nothing read yet. */
  const freshAdapter = async (env: Record<string, string>) => {
    for (const name of flags) delete process.env[name]
    Object.assign(process.env, env)
    vi.resetModules()
    return import("../../src/runtime/contract/Adapter.js")
  }

  it("reflects USE_POSTGRES_* as set before the first access, and keeps that reading", async () => {
    const { DB_CONFIG } = await freshAdapter({ USE_POSTGRES_READ: "true", USE_POSTGRES_SHADOW: "true" })
    // Set after the import, before the first access: still seen, since nothing is read at import.
    process.env["USE_POSTGRES_PRIMARY"] = "false"
    expect({ ...DB_CONFIG }).toEqual({ usePrimaryPostgres: false, usePostgresRead: true, useShadowWrite: true })
    expect(Object.keys(DB_CONFIG)).toEqual(["usePrimaryPostgres", "usePostgresRead", "useShadowWrite"])
    expect(inspect(DB_CONFIG, { breakLength: Infinity })).toBe(
      "{ usePrimaryPostgres: false, usePostgresRead: true, useShadowWrite: true }"
    )
    process.env["USE_POSTGRES_PRIMARY"] = "true"
    expect(DB_CONFIG.usePrimaryPostgres).toBe(false)

    const primary = (await freshAdapter({ USE_POSTGRES_PRIMARY: "true" })).DB_CONFIG
    expect(JSON.parse(JSON.stringify(primary))).toEqual({
      usePrimaryPostgres: true,
      usePostgresRead: false,
      useShadowWrite: false
    })
    const none = (await freshAdapter({})).DB_CONFIG
    expect({ ...none }).toEqual({ usePrimaryPostgres: false, usePostgresRead: false, useShadowWrite: false })
  })

  it("refuses a flag that is not true/false on access, naming the variable, as the services do", async () => {
    const { DB_CONFIG } = await freshAdapter({ USE_POSTGRES_SHADOW: "TRUE" })
    let thrown: unknown
    try {
      void DB_CONFIG.useShadowWrite
    } catch (error) {
      thrown = error
    }
    expect(thrown).toMatchObject({ _tag: "DatabaseConfigError" })
    expect(String((thrown as Error).message)).toContain("USE_POSTGRES_SHADOW")
  })

  it("is read-only", async () => {
    const { DB_CONFIG } = await freshAdapter({})
    expect(() => {
      ;(DB_CONFIG as { usePrimaryPostgres: boolean }).usePrimaryPostgres = true
    }).toThrow(TypeError)
  })
})

describe("exportAllTables / importAllTables / initializePostgresSchema against PostgreSQL", () => {
  let scope: Scope.CloseableScope | undefined
  let saved: NodeJS.ProcessEnv = {}
  let cwd = ""
  let dir = ""
  let pgUrl = ""
  let legacy: LegacyDatabaseSummary | undefined

  beforeAll(async () => {
    saved = { ...process.env }
    cwd = process.cwd()
    scope = Effect.runSync(Scope.make())
    const extend = <A, E>(effect: Effect.Effect<A, E, Scope.Scope>) => Effect.runPromise(Scope.extend(effect, scope!))
    dir = await extend(tempDir)
    pgUrl = (await extend(tempPostgresUrl)).url
    legacy = await Effect.runPromise(
      generateLegacyDatabase({ path: join(dir, "legacy.db"), form: "full", messages: 300, seed: 11 })
    )
    for (const name of ["USE_POSTGRES_PRIMARY", "USE_POSTGRES_READ", "USE_POSTGRES_SHADOW", "DATABASE_URL"]) {
      delete process.env[name]
    }
    process.env["SQLITE_PATH"] = legacy.path
    process.env["POSTGRES_URL"] = pgUrl
    // The helpers work in ./migration-data, as the original did.
    process.chdir(dir)
  })
  afterAll(async () => {
    process.chdir(cwd)
    process.env = saved
    await root.closeDatabase()
    if (scope !== undefined) await Effect.runPromise(Scope.close(scope, Exit.void))
  })

  it("initializePostgresSchema applies the PostgreSQL migrations once", async () => {
    await root.initializePostgresSchema()
    await root.initializePostgresSchema()
    const applied = await postgresExec(pgUrl, "SELECT name FROM effect_sql_migrations ORDER BY migration_id")
    expect(applied).toHaveLength(Object.keys(postgresMigrations).length)
  })

  it("export then import ends in the data a direct copy loads; a second round changes nothing", async () => {
    await root.exportAllTables()
    const exported = fs.readdirSync(join(dir, "migration-data")).sort()
    expect(exported).toEqual([
      "_metadata.json",
      "document_collaborators.jsonl",
      "documents.jsonl",
      "messages.jsonl",
      "queries.jsonl",
      "user_analysis_history.jsonl",
      "user_profiles.jsonl"
    ])
    await root.importAllTables()

    const counts = await postgresExec(
      pgUrl,
      `SELECT (SELECT COUNT(*)::int FROM messages) AS messages, (SELECT COUNT(*)::int FROM queries) AS queries,
              (SELECT COUNT(*)::int FROM documents) AS documents,
              (SELECT COUNT(*)::int FROM document_collaborators) AS document_collaborators,
              (SELECT COUNT(*)::int FROM user_profiles) AS user_profiles,
              (SELECT COUNT(*)::int FROM user_analysis_history) AS user_analysis_history`
    )
    expect(counts[0]).toEqual(legacy!.counts)

    // The same legacy file copied straight into another database by the copy program.
    const copied = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const other = yield* tempPostgresUrl
          yield* copyData().pipe(
            Effect.provide(
              Layer.merge(
                SqliteSource.layer(legacy!.path),
                PostgresDatabase.layer({
                  url: Redacted.make(other.url),
                  poolSize: 8,
                  connectTimeoutMs: 5000,
                  migrate: true
                })
              )
            )
          )
          return yield* dump(other.url)
        })
      )
    )
    const imported = await Effect.runPromise(dump(pgUrl))
    expect(imported).toEqual(copied)

    // The web route may run both again: the export is replaced, the import skips what is there.
    await root.exportAllTables()
    await root.importAllTables()
    expect(await Effect.runPromise(dump(pgUrl))).toEqual(imported)
  })

  it("importAllTables rejects with the count and the rejects file when PostgreSQL refuses rows (F19)", async () => {
    const quirky = await Effect.runPromise(
      generateLegacyDatabase({ path: join(dir, "quirky.db"), form: "full", messages: 200, seed: 5, quirks: true })
    )
    process.env["SQLITE_PATH"] = quirky.path
    await root.exportAllTables()
    const error = await rejection(root.importAllTables())
    expect(error).toBeInstanceOf(root.MigrationIncomplete)
    const incomplete = error as InstanceType<typeof root.MigrationIncomplete>
    expect(incomplete.rejected).toBeGreaterThan(0)
    expect(incomplete.rejectsFile).not.toBeNull()
    expect(fs.existsSync(incomplete.rejectsFile!)).toBe(true)
    expect(incomplete.message).toContain(`${incomplete.rejected} rows were not imported`)
  })

  it("importAllTables without an export says which directory is missing", async () => {
    fs.rmSync(join(dir, "migration-data"), { recursive: true, force: true })
    const error = await rejection(root.importAllTables())
    expect(error).toMatchObject({ _tag: "ExportInvalid" })
    expect((error as Error).message).toContain(join(fs.realpathSync(dir), "migration-data"))
  })
})

describe("importing the package root (F16)", () => {
  const built = join(repoRoot, "dist", "index.js")

  it("runs nothing: no output, no signal handlers, no configuration read", () => {
    const script = `
      process.env.USE_POSTGRES_SHADOW = "not-a-boolean"
      const before = [process.listenerCount("SIGTERM"), process.listenerCount("SIGINT")]
      const db = await import(${JSON.stringify(pathToFileURL(built).href)})
      const after = [process.listenerCount("SIGTERM"), process.listenerCount("SIGINT")]
      process.stdout.write(JSON.stringify({ before, after, exports: typeof db.getDatabase }))
    `
    const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: tmpdir(),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"]
    })
    // One line, ours: no log line and no warning before it, and an invalid flag did not throw at import.
    expect(JSON.parse(output)).toEqual({ before: [0, 0], after: [0, 0], exports: "function" })
  })

  it("loads none of the offline programs (the helpers import them on first call)", () => {
    const probe = execFileSync(
      process.execPath,
      ["--import", "./bench/import-cost/register.mjs", "./bench/import-cost/probe.mjs", pathToFileURL(built).href],
      { cwd: repoRoot, encoding: "utf8" }
    )
    const { files } = JSON.parse(probe) as { files: ReadonlyArray<string> }
    const dist = join(repoRoot, "dist")
    const own = files.filter((file) => file.startsWith(dist))
    expect(own.length).toBeGreaterThan(10)
    expect(
      own.filter((file) => file.includes(`${join(dist, "programs")}/`) || file === join(dist, "migrate.js"))
    ).toEqual([])
    expect(files.filter((file) => /[\\/]@effect[\\/]cli[\\/]|[\\/]cli-progress[\\/]|@electric-sql/.test(file))).toEqual(
      []
    )
  })
})
