/**
 * What the mode tests share: both databases opened for real (a temp SQLite file, a temp PostgreSQL database),
 * any mode built over them, every table of either database read back normalised, a mixed workload, and a store
 * that can be slowed down or broken on demand.
 */
import { SqlClient } from "@effect/sql"
import { Duration, Effect, Layer, Option, Redacted } from "effect"
import Pg from "pg"
import { rowSchema } from "../../../src/runtime/domain/Column.js"
import type { Backend, StoreError } from "../../../src/runtime/domain/Errors.js"
import { tables } from "../../../src/runtime/domain/Tables.js"
import * as PostgresDatabase from "../../../src/runtime/layers/PostgresDatabase.js"
import * as SqliteDatabase from "../../../src/runtime/layers/SqliteDatabase.js"
import { PostgresStoreLive, SqliteStoreLive } from "../../../src/runtime/layers/StoreLayers.js"
import { type Databases, modeLayer } from "../../../src/runtime/modes/DatabaseLayer.js"
import type { Mode } from "../../../src/runtime/config/Mode.js"
import { defaultShadowOptions, type ShadowOptions } from "../../../src/runtime/config/ShadowOptions.js"
import { DocumentService } from "../../../src/runtime/services/DocumentService.js"
import { MessageService } from "../../../src/runtime/services/MessageService.js"
import { QueryService } from "../../../src/runtime/services/QueryService.js"
import { UserProfileService } from "../../../src/runtime/services/UserProfileService.js"
import { type DbRow, rowDecoder } from "../../../src/runtime/store/RowCodec.js"
import type { Store } from "../../../src/runtime/store/Store.js"
import { adminUrl, tempPostgresUrl, tempSqlite } from "../../support/TestDatabases.js"

/** Quick to react, silent health log: what most mode tests want. */
export const testShadowOptions: ShadowOptions = {
  ...defaultShadowOptions,
  batchSize: 20,
  pollInterval: Duration.millis(50),
  retryAttempts: 2,
  retryBaseDelay: Duration.millis(10),
  retryMaxDelay: Duration.millis(100),
  leaseTtl: Duration.seconds(2),
  drainTimeout: Duration.seconds(10),
  healthInterval: Duration.zero,
  metricsInterval: Duration.zero,
  readWait: Duration.seconds(2)
}

export interface OpenedDatabases {
  /** The temp PostgreSQL database's name (to terminate its connections). */
  readonly pgName: string
  readonly pgUrl: string
  readonly sqliteFile: string
  readonly layer: Layer.Layer<Databases, StoreError>
}

/** A fresh SQLite file and PostgreSQL database for the current scope. */
export const freshDatabases = Effect.gen(function* () {
  const sqlite = yield* tempSqlite()
  const pg = yield* tempPostgresUrl
  const layer = Layer.mergeAll(
    SqliteStoreLive.pipe(Layer.provideMerge(SqliteDatabase.layer(sqlite))),
    PostgresStoreLive.pipe(
      Layer.provideMerge(
        PostgresDatabase.layer({ url: Redacted.make(pg.url), poolSize: 8, connectTimeoutMs: 2000, migrate: true })
      )
    )
  )
  return { pgName: pg.name, pgUrl: pg.url, sqliteFile: sqlite.filename, layer } satisfies OpenedDatabases
})

/** A mode over both databases, both still reachable by the test through their tags. */
export const modeOver = (
  dbs: Layer.Layer<Databases, StoreError>,
  mode: Mode,
  options: ShadowOptions = testShadowOptions
) => modeLayer(mode, options).pipe(Layer.provideMerge(dbs))

/** Every row of every table, decoded into the callers' shape and sorted by id: equal across backends. */
export const dumpTables = (backend: Backend) =>
  Effect.gen(function* () {
    const sql =
      backend === "sqlite" ? (yield* SqliteDatabase.SqliteDatabase).sql : (yield* PostgresDatabase.PostgresDatabase).sql
    const out: Record<string, ReadonlyArray<unknown>> = {}
    for (const table of tables) {
      const decode = rowDecoder(table.columns, rowSchema(table.columns), backend)
      const rows = yield* sql<DbRow>`SELECT * FROM ${sql(table.name)}`.pipe(Effect.orDie)
      const decoded = yield* Effect.forEach(rows, (r) => Effect.orDie(decode(r)))
      out[table.name] = [...decoded].sort((a, b) =>
        String((a as DbRow)["id"]).localeCompare(String((b as DbRow)["id"]))
      )
    }
    return out
  })

export const rowCounts = (backend: Backend) =>
  Effect.map(dumpTables(backend), (dump) =>
    Object.fromEntries(Object.entries(dump).map(([t, rows]) => [t, rows.length]))
  )

/** Runs SQL on one database directly (the journal lives there too). */
export const rawSql = (
  backend: Backend
): Effect.Effect<SqlClient.SqlClient, never, SqliteDatabase.SqliteDatabase | PostgresDatabase.PostgresDatabase> =>
  backend === "sqlite"
    ? Effect.map(SqliteDatabase.SqliteDatabase, (db) => db.sql)
    : Effect.map(PostgresDatabase.PostgresDatabase, (db) => db.sql)

export const provideSql = (sql: SqlClient.SqlClient) => Effect.provideService(SqlClient.SqlClient, sql)

let counter = 0
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`

/**
 * Every kind of write, several aggregates at once: per user a profile with increments, updates and analysis
 * history; messages and queries; a document with collaborators added, changed and removed, content edits, and
 * one deleted document. Each user's writes are sequential (one aggregate's order matters); users run concurrently.
 */
export const mixedWorkload = (users: number, rounds: number) =>
  Effect.gen(function* () {
    const messages = yield* MessageService
    const queries = yield* QueryService
    const documents = yield* DocumentService
    const profiles = yield* UserProfileService
    const one = (u: number) =>
      Effect.gen(function* () {
        const userId = unique(`user${u}`)
        yield* profiles.createUserProfile({ userId, username: `User ${u}` })
        const doc = yield* documents.createDocument({ title: `Doc ${u}`, createdBy: userId, metadata: { u } })
        const doomed = yield* documents.createDocument({ title: `Doomed ${u}`, createdBy: userId })
        for (let r = 0; r < rounds; r++) {
          const human = yield* messages.saveHumanMessage({
            userId,
            username: `User ${u}`,
            channelId: `chan-${u % 3}`,
            content: `hello ${r} from ${u} ✓`,
            metadata: { round: r, tags: ["a", "b"] }
          })
          yield* messages.saveAIMessage({ userId, content: `reply ${r}`, parentMessageId: human.id })
          yield* messages.saveToolExecution({ toolName: "search", toolArgs: { q: r }, toolResult: [r, "x"], userId })
          yield* queries.saveQuery({ userId, username: `User ${u}`, queryText: `q ${r}`, resultCount: r })
          yield* profiles.incrementMessageCount(userId)
          yield* profiles.updateUserProfile(userId, { dominant_archetype: `type-${r}`, openness_score: r })
          yield* documents.updateDocumentContent(doc.id, `content v${r}`)
          yield* documents.addCollaborator({ documentId: doc.id, userId: `friend-${u}-${r % 2}`, role: "editor" })
          if (r % 3 === 2) yield* documents.removeCollaborator(doc.id, `friend-${u}-0`)
          if (r % 4 === 0) {
            yield* profiles.saveAnalysisHistory({ userId, changesSummary: `round ${r}`, feelingsSnapshot: { r } })
          }
        }
        yield* documents.updateDocumentTitle(doc.id, `Doc ${u} (final)`)
        yield* documents.deleteDocument(doomed.id)
      })
    yield* Effect.forEach(
      Array.from({ length: users }, (_, u) => u),
      one,
      { concurrency: "unbounded", discard: true }
    )
  })

/**
 * Makes the PostgreSQL database itself slow or failing for writes, whichever statement they come in (single
 * applies or multi-row batches): a row trigger on every table sleeps, or raises, as the control row says.
 */
export const postgresWriteControl = Effect.gen(function* () {
  const sql = (yield* PostgresDatabase.PostgresDatabase).sql
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS omega_test_control (delay_ms INTEGER NOT NULL, failure TEXT)`)
  yield* sql.unsafe(`INSERT INTO omega_test_control SELECT 0, NULL WHERE NOT EXISTS (SELECT 1 FROM omega_test_control)`)
  yield* sql.unsafe(`CREATE OR REPLACE FUNCTION omega_test_write_control() RETURNS trigger AS $$
    DECLARE d INTEGER; f TEXT;
    BEGIN
      SELECT delay_ms, failure INTO d, f FROM omega_test_control LIMIT 1;
      IF f IS NOT NULL THEN RAISE EXCEPTION '%', f; END IF;
      IF d > 0 THEN PERFORM pg_sleep(d / 1000.0); END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql`)
  for (const table of tables) {
    yield* sql.unsafe(`CREATE OR REPLACE TRIGGER omega_test_write_control BEFORE INSERT OR UPDATE OR DELETE ON ${table.name}
      FOR EACH ROW EXECUTE FUNCTION omega_test_write_control()`)
  }
  return {
    delay: (ms: number) => sql`UPDATE omega_test_control SET delay_ms = ${ms}`.pipe(Effect.orDie, Effect.asVoid),
    fail: (message: string | null) =>
      sql`UPDATE omega_test_control SET failure = ${message}`.pipe(Effect.orDie, Effect.asVoid)
  }
}).pipe(Effect.orDie)

/** A store whose writes can be slowed or made to fail (for the journal's own tests, without a shadow writer). */
export interface Controllable {
  delay: Duration.Duration
  failWith: Option.Option<StoreError>
}

export const controllableStore = (store: Store, control: Controllable): Store => ({
  ...store,
  apply: (op, options) =>
    Effect.suspend(() =>
      Option.match(control.failWith, {
        onSome: Effect.fail,
        onNone: () => Effect.zipRight(Effect.sleep(control.delay), store.apply(op, options))
      })
    )
})

/** Runs a statement as the server's superuser (outside the test's own pools). */
export const admin = (statement: string) =>
  Effect.promise(async () => {
    const client = new Pg.Client({ connectionString: adminUrl })
    await client.connect()
    try {
      return await client.query(statement)
    } finally {
      await client.end()
    }
  })

/** Cuts PostgreSQL off from the test database: refuses new connections and kills the open ones. */
export const cutPostgres = (name: string) =>
  Effect.zipRight(
    admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`),
    admin(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`
    )
  )

export const restorePostgres = (name: string) => admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`)

/** Kills the open connections once; new ones may connect at once. */
export const terminateConnections = (name: string) =>
  admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`)
