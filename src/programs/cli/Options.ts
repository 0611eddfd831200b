/**
 * The options every omega-db command shares (`--sqlite`, `--postgres`, `--json`), and the database layers built
 * from them. A flag wins over the configuration (`SQLITE_PATH`; `POSTGRES_URL` / `DATABASE_PUBLIC_URL` /
 * `DATABASE_URL`), and a command opens only the databases it uses, so `export` needs no PostgreSQL URL.
 */
import * as Options from "@effect/cli/Options"
import { ConfigProvider, Effect, Layer, Option, Redacted } from "effect"
import * as fs from "node:fs"
import { defaultSqlitePath, postgresOptions, sqliteOptions } from "../../runtime/config/DatabaseConfig.js"
import * as PostgresDatabase from "../../runtime/layers/PostgresDatabase.js"
import * as SqliteDatabase from "../../runtime/layers/SqliteDatabase.js"
import { SourceError } from "../data/DataErrors.js"
import * as TursoSnapshot from "../data/TursoSnapshot.js"
import { checkPostgresUrl, postgresUrlOption } from "./PostgresUrl.js"

export const sqlite = Options.text("sqlite").pipe(
  Options.withDescription(`the SQLite database file (default: $SQLITE_PATH, else ${defaultSqlitePath})`),
  Options.optional
)

export const postgres = postgresUrlOption("postgres").pipe(
  Options.withDescription("the PostgreSQL URL (default: $POSTGRES_URL, $DATABASE_PUBLIC_URL or $DATABASE_URL)"),
  Options.optional
)

export const json = Options.boolean("json").pipe(Options.withDescription("print the summary as JSON on stdout"))

/** Spread into a command's options: `Command.make("x", { ...shared, other }, handler)`. */
export const shared = { sqlite, postgres, json } as const

export interface SharedOptions {
  readonly sqlite: Option.Option<string>
  readonly postgres: Option.Option<Redacted.Redacted>
  readonly json: boolean
}

/** The configuration, with the values given on the command line in front of the environment. */
const configFrom = (flags: SharedOptions) => {
  const given = new Map<string, string>()
  if (Option.isSome(flags.sqlite)) given.set("SQLITE_PATH", flags.sqlite.value)
  if (Option.isSome(flags.postgres)) given.set("POSTGRES_URL", Redacted.value(flags.postgres.value))
  return ConfigProvider.fromMap(given).pipe(ConfigProvider.orElse(() => ConfigProvider.fromEnv()))
}

/** The SQLite file the flags and configuration name; it must exist (a wrong path never creates a database). */
const existingFile = (filename: string) =>
  fs.existsSync(filename)
    ? Effect.succeed(filename)
    : Effect.fail(new SourceError({ path: filename, message: `no SQLite database at ${filename}` }))

/**
 * The SQLite database the flags and configuration name, for the commands that read it page by page (export,
 * copy): a file, which must exist, or a libSQL (Turso) database, which is snapshotted into a temporary file first.
 */
export const sqliteSourceOptions = (flags: SharedOptions) =>
  Effect.gen(function* () {
    const options = yield* Effect.withConfigProvider(sqliteOptions, configFrom(flags))
    if (options.location?._tag === "Turso") return options
    return { ...options, filename: yield* existingFile(options.filename) }
  })

/**
 * The bot's SQLite database, through the data layer's own layer (schema upgrade on open when `migrate`): the file,
 * or the libSQL (Turso) database the configuration names.
 */
export const sqliteDatabaseLayer = (flags: SharedOptions, settings: { readonly migrate: boolean }) =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const options = yield* Effect.withConfigProvider(sqliteOptions, configFrom(flags))
      const filename = options.location?._tag === "Turso" ? options.filename : yield* existingFile(options.filename)
      return SqliteDatabase.layer({ ...options, filename, migrate: settings.migrate })
    })
  )

/** The SQLite file, or a snapshot of the Turso database in a temporary file: the source of export and copy. */
export const sqliteSourceLayer = (flags: SharedOptions) =>
  Layer.unwrapEffect(Effect.map(sqliteSourceOptions(flags), (options) => TursoSnapshot.sourceLayer(options)))

/** PostgreSQL, with its schema applied on open when `migrate`, and at least `connections` connections. */
export const postgresLayer = (
  flags: SharedOptions,
  settings: { readonly migrate: boolean; readonly connections?: number | undefined }
) =>
  Layer.unwrapEffect(
    Effect.map(
      Effect.zipRight(checkPostgresUrl(flags.postgres), Effect.withConfigProvider(postgresOptions, configFrom(flags))),
      (options) =>
        PostgresDatabase.layer({
          ...options,
          poolSize: Math.max(options.poolSize, settings.connections ?? 0),
          migrate: settings.migrate
        })
    )
  )

/** The SQLite options the flags and configuration give (a file, or a libSQL database), for the file's guards. */
export const sqliteOptionsOf = (flags: SharedOptions) => Effect.withConfigProvider(sqliteOptions, configFrom(flags))
