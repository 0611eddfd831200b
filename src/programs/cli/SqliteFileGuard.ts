/**
 * What the commands that open the SQLite file read-write (schema, verify, repair) may do to it, decided from the
 * file alone, read-only, before it is opened: opening it read-write already changes it (the client switches it to
 * WAL mode). The bot's own database is opened; a file with no tables (0 bytes, or a new empty database) becomes
 * the bot's only through `schema --create`, and so does a missing path; a file of another application (tables,
 * none the bot's) is never touched, even with `--create`: giving it six tables is never what was meant.
 *
 * The bot itself (the runtime's SqliteDatabase layer) still creates its database when it is missing.
 */
import Database from "better-sqlite3"
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import { resolve } from "node:path"
import { causeMessage, SourceError } from "../data/DataErrors.js"
import { probeFolderOf } from "../../runtime/files/OutputLocation.js"
import { inspectSchema } from "../data/SchemaForm.js"
import * as SqliteDatabase from "../../runtime/layers/SqliteDatabase.js"
import { type SharedOptions, sqliteDatabaseLayer, sqliteOptionsOf } from "./Options.js"

export type SqliteFileState =
  | { readonly _tag: "Missing" }
  /** A SQLite file without any table, index or view: 0 bytes, or a database nothing was ever created in. */
  | { readonly _tag: "Empty" }
  | { readonly _tag: "Bot" }

/** Reads what `file` is, read-only (nothing is written, not even a journal); another application's file fails. */
export const inspectSqliteFile = (file: string): Effect.Effect<SqliteFileState, SourceError> =>
  Effect.try({
    try: (): SqliteFileState | string => {
      if (!fs.existsSync(file)) return { _tag: "Missing" }
      if (!fs.statSync(file).isFile()) return `${file} is not a file`
      if (fs.statSync(file).size === 0) return { _tag: "Empty" }
      const db = new Database(file, { readonly: true, fileMustExist: true })
      try {
        const objects = db.prepare<[], { name: string; type: string }>("SELECT name, type FROM sqlite_master").all()
        if (objects.length === 0) return { _tag: "Empty" }
        const inspection = inspectSchema((table) =>
          db
            .prepare<[string], { name: string }>("SELECT name FROM pragma_table_info(?)")
            .all(table)
            .map((r) => r.name)
        )
        return inspection._tag === "Known"
          ? { _tag: "Bot" }
          : `${file} is not the bot's SQLite database: ${inspection.problem}; omega-db changes only the bot's own file`
      } finally {
        db.close()
      }
    },
    catch: (cause) =>
      new SourceError({ path: file, message: `cannot open SQLite database ${file}: ${causeMessage(cause)}`, cause })
  }).pipe(
    Effect.flatMap((state) =>
      typeof state === "string" ? Effect.fail(new SourceError({ path: file, message: state })) : Effect.succeed(state)
    )
  )

/**
 * Fails unless `schema` may work on `file`: the bot's database, or, with `create`, a missing path whose folder can
 * take it (tried, nothing left behind) or a file without tables.
 */
export const checkSchemaTarget = (file: string, create: boolean): Effect.Effect<void, SourceError> =>
  Effect.flatMap(inspectSqliteFile(file), (state) => {
    if (state._tag === "Bot") return Effect.void
    if (!create) {
      const what = state._tag === "Missing" ? `no SQLite database at ${file}` : `${file} is empty (no tables)`
      return Effect.fail(
        new SourceError({ path: file, message: `${what}: pass --create to make it the bot's database` })
      )
    }
    if (state._tag === "Empty") return Effect.void
    return Effect.try({
      try: () => probeFolderOf(resolve(file)),
      catch: (cause) => new SourceError({ path: file, message: `cannot create ${file}: ${causeMessage(cause)}`, cause })
    })
  })

/** Fails unless `file` is the bot's database (verify and repair read and fix one, they never make one). */
export const checkBotDatabase = (file: string): Effect.Effect<void, SourceError> =>
  Effect.flatMap(inspectSqliteFile(file), (state) =>
    state._tag === "Bot"
      ? Effect.void
      : Effect.fail(
          new SourceError({
            path: file,
            message:
              state._tag === "Missing"
                ? `no SQLite database at ${file}`
                : `${file} is empty (no tables), not the bot's database (\`omega-db schema --create\` makes one)`
          })
        )
  )

/** The SQLite database `schema` upgrades: checked first (checkSchemaTarget), made when missing with `create`. */
export const schemaSqliteLayer = (flags: SharedOptions, create: boolean) =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const options = yield* sqliteOptionsOf(flags)
      // A libSQL (Turso) database is no file to look into; its own layer opens it.
      if (options.location?._tag === "Turso") return sqliteDatabaseLayer(flags, { migrate: false })
      yield* checkSchemaTarget(options.filename, create)
      return SqliteDatabase.layer({ ...options, migrate: false })
    })
  )

/** The SQLite database verify and repair open: the bot's, checked first (checkBotDatabase); never migrated. */
export const botDatabaseLayer = (flags: SharedOptions) =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const options = yield* sqliteOptionsOf(flags)
      if (options.location?._tag !== "Turso") yield* checkBotDatabase(options.filename)
      return sqliteDatabaseLayer(flags, { migrate: false })
    })
  )
