/**
 * Where the bot's SQLite database is. The original package's rules (contract §2.2, K22) decide by default, so an
 * existing deployment keeps opening the same database; this package's `SQLITE_PATH` wins over them when set. The
 * original fell back silently when half a Turso pair was set and never said which file it opened (F20): here the
 * location carries warnings and is announced once when it opens.
 */
import { Config, Effect, Option, Redacted } from "effect"
import * as fs from "node:fs"
import { join, resolve } from "node:path"

/** Which rule chose a local file ("options": a path given in code, not read from the environment). */
export type FileRule = "SQLITE_PATH" | "production volume" | "working directory" | "options"

/** A libSQL database by URL: Turso (`libsql://`, `https://`, `wss://`), or a `file:` URL opened by libSQL. */
export interface TursoDatabase {
  /** Redacted too: a libSQL URL may carry `?authToken=`. */
  readonly url: Redacted.Redacted
  readonly authToken: Redacted.Redacted
}

export type SqliteLocation =
  | { readonly _tag: "File"; readonly path: string; readonly rule: FileRule }
  | ({ readonly _tag: "Turso" } & TursoDatabase)

export interface ResolvedSqliteLocation {
  readonly location: SqliteLocation
  /** Configuration that was probably meant otherwise (half a Turso pair), to be logged when the database opens. */
  readonly warnings: ReadonlyArray<string>
}

/** What the rules depend on besides the environment; tests point them elsewhere (a fake volume, a fake cwd). */
export interface LocationRoots {
  /** The Railway volume; the production rule applies when it is a directory. Default `/data`. */
  readonly dataRoot?: string | undefined
  /** The directory the cwd-relative default is resolved against. Default `process.cwd()` when read. */
  readonly cwd?: string | undefined
}

export const defaultDataRoot = "/data"
export const databaseFileName = "omega.db"
/** The original's cwd-relative default (the bot runs from apps/bot, so it lands in apps/bot/apps/bot/data). */
export const workingDirectoryDefault = join("apps", "bot", "data", databaseFileName)

/** For help texts: the rules in one line. */
export const defaultLocationDescription =
  "Turso when TURSO_DATABASE_URL and TURSO_AUTH_TOKEN are both set, else /data/omega.db when NODE_ENV=production " +
  "and /data exists, else apps/bot/data/omega.db under the working directory"

const isDirectory = (path: string) => {
  try {
    return fs.statSync(path).isDirectory()
  } catch {
    return false
  }
}

/** The URL without its query (a `?authToken=` there is a secret too), for log lines and messages. */
export const displayUrl = (url: Redacted.Redacted): string => Redacted.value(url).replace(/[?#].*$/s, "")

/** An empty variable counts as unset, as the original's truthiness tests did. */
const nonEmpty = (name: string) =>
  Config.option(Config.string(name)).pipe(Config.map(Option.filter((value) => value.trim() !== "")))

/** The rules of contract §2.2, in order, with SQLITE_PATH in front. */
export const sqliteLocation = (roots: LocationRoots = {}): Config.Config<ResolvedSqliteLocation> =>
  Config.all({
    sqlitePath: nonEmpty("SQLITE_PATH"),
    tursoUrl: nonEmpty("TURSO_DATABASE_URL"),
    tursoToken: nonEmpty("TURSO_AUTH_TOKEN"),
    nodeEnv: Config.option(Config.string("NODE_ENV"))
  }).pipe(
    Config.map(({ nodeEnv, sqlitePath, tursoToken, tursoUrl }): ResolvedSqliteLocation => {
      const warnings: Array<string> = []
      const turso = Option.all({ url: tursoUrl, token: tursoToken })
      if (Option.isSome(tursoUrl) !== Option.isSome(tursoToken)) {
        const [set, unset] = Option.isSome(tursoUrl)
          ? ["TURSO_DATABASE_URL", "TURSO_AUTH_TOKEN"]
          : ["TURSO_AUTH_TOKEN", "TURSO_DATABASE_URL"]
        warnings.push(`${set} is set but ${unset} is not: Turso needs both, so the local SQLite file is used`)
      }
      if (Option.isSome(sqlitePath)) {
        if (Option.isSome(turso))
          warnings.push("SQLITE_PATH is set, so TURSO_DATABASE_URL and TURSO_AUTH_TOKEN are ignored")
        return { location: { _tag: "File", path: sqlitePath.value, rule: "SQLITE_PATH" }, warnings }
      }
      if (Option.isSome(turso)) {
        return {
          location: { _tag: "Turso", url: Redacted.make(turso.value.url), authToken: Redacted.make(turso.value.token) },
          warnings
        }
      }
      const dataRoot = roots.dataRoot ?? defaultDataRoot
      // Read when the configuration is read (when the database opens), never at import.
      if (Option.getOrUndefined(nodeEnv) === "production" && isDirectory(dataRoot)) {
        return {
          location: { _tag: "File", path: join(dataRoot, databaseFileName), rule: "production volume" },
          warnings
        }
      }
      const cwd = roots.cwd ?? process.cwd()
      return {
        location: { _tag: "File", path: join(cwd, workingDirectoryDefault), rule: "working directory" },
        warnings
      }
    })
  )

/** The location as one string without secrets: the absolute file path, or the URL without its query. */
export const describeLocation = (location: SqliteLocation): string =>
  location._tag === "File"
    ? location.path === ":memory:"
      ? location.path
      : resolve(location.path)
    : displayUrl(location.url)

const announced = new Set<string>()

/**
 * Logs where the SQLite database is, and the configuration warnings, once per location in this process: the
 * services' layer and the raw client (`getDatabase()`) open the same database, and one line says where it is.
 */
export const announceLocation = (resolved: ResolvedSqliteLocation): Effect.Effect<void> =>
  Effect.suspend(() => {
    const where = describeLocation(resolved.location)
    const key = `${resolved.location._tag}:${where}`
    if (announced.has(key)) return Effect.void
    announced.add(key)
    const annotations =
      resolved.location._tag === "File"
        ? { sqliteLocation: where, rule: resolved.location.rule }
        : { sqliteLocation: where, rule: "TURSO_DATABASE_URL" }
    return Effect.forEach(resolved.warnings, (warning) => Effect.logWarning(warning), { discard: true }).pipe(
      Effect.zipRight(
        Effect.logInfo(
          resolved.location._tag === "File" ? `SQLite database: ${where}` : `SQLite database: libSQL at ${where}`
        )
      ),
      Effect.annotateLogs(annotations)
    )
  })
