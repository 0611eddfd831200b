/**
 * The shadow's health snapshot written to a file at an interval (SHADOW_METRICS_FILE, every
 * SHADOW_METRICS_FILE_INTERVAL_MS, default 10 s), so that the operator's tools read the bot's own counts:
 * `omega-db verify` judges the shadow write failure rate from it (it reads SHADOW_METRICS_FILE too). Each write
 * replaces the file whole (a temporary file renamed over it), so a reader never sees half a snapshot.
 *
 * With two bot processes on one database only the shadow applier's counts mean anything (the other applies
 * nothing), so a process that is not the applier leaves an existing file alone. A file that cannot be written is
 * a warning in the log, never a failure of the bot; a folder that cannot be created stops the start, with the
 * variable named, as any other invalid setting does.
 */
import { Config, ConfigError, Duration, Effect, Layer, Option, Schedule } from "effect"
import * as fs from "node:fs/promises"
import { hostname } from "node:os"
import * as path from "node:path"
import { makeDirectory } from "../files/OutputLocation.js"
import { ShadowHealth, type ShadowHealthSnapshot } from "../modes/ShadowHealth.js"

export interface HealthSnapshotFileSettings {
  readonly file: string
  readonly interval: Duration.Duration
}

/** What the file holds: the snapshot, when and by whom it was written. */
export interface HealthSnapshotFileContent extends ShadowHealthSnapshot {
  /** ISO 8601 time of the write. */
  readonly writtenAt: string
  readonly pid: number
  readonly hostname: string
}

export const healthSnapshotFileSettings: Config.Config<Option.Option<HealthSnapshotFileSettings>> = Config.all({
  file: Config.option(Config.string("SHADOW_METRICS_FILE")),
  interval: Config.integer("SHADOW_METRICS_FILE_INTERVAL_MS").pipe(
    Config.withDefault(10_000),
    Config.validate({
      message: "SHADOW_METRICS_FILE_INTERVAL_MS must be more than zero milliseconds",
      validation: (n) => n > 0
    }),
    Config.map(Duration.millis)
  )
}).pipe(
  Config.map(({ file, interval }) =>
    Option.map(
      Option.filter(file, (f) => f.trim() !== ""),
      (f) => ({ file: path.resolve(f), interval })
    )
  )
)

const message = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause))

let writes = 0

const writeWhole = (file: string, content: HealthSnapshotFileContent) =>
  Effect.tryPromise(async () => {
    // A name of its own per write: the last write at shutdown may overlap the periodic one.
    const temporary = `${file}.${process.pid}.${++writes}.tmp`
    try {
      await fs.writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`)
      await fs.rename(temporary, file)
    } catch (error) {
      await fs.rm(temporary, { force: true })
      throw error
    }
  })

const exists = (file: string) =>
  Effect.promise(() =>
    fs.access(file).then(
      () => true,
      () => false
    )
  )

/** Writes the snapshot to `settings.file` now, then every interval, and once more when the layer closes. */
export const healthSnapshotFileLayer = (
  settings: HealthSnapshotFileSettings
): Layer.Layer<never, ConfigError.ConfigError, ShadowHealth> =>
  Layer.scopedDiscard(
    Effect.gen(function* () {
      const health = yield* ShadowHealth
      yield* Effect.try(() => makeDirectory(path.dirname(settings.file))).pipe(
        Effect.mapError((cause) =>
          ConfigError.InvalidData(
            ["SHADOW_METRICS_FILE"],
            `SHADOW_METRICS_FILE: cannot create the folder of ${settings.file}: ${message(cause.error)}`
          )
        )
      )
      let lastFailure: string | null = null
      const writeOnce = Effect.gen(function* () {
        const snapshot = yield* health.snapshot
        if (snapshot.enabled && !snapshot.isApplier && (yield* exists(settings.file))) return
        yield* writeWhole(settings.file, {
          ...snapshot,
          writtenAt: new Date().toISOString(),
          pid: process.pid,
          hostname: hostname()
        })
        lastFailure = null
      }).pipe(
        Effect.catchAll((error) => {
          const reason = "error" in error ? message(error.error) : error.message
          // Once per distinct failure: a full disk must not fill the log as well.
          if (reason === lastFailure) return Effect.void
          lastFailure = reason
          return Effect.logWarning(`cannot write the shadow health snapshot to ${settings.file}: ${reason}`)
        })
      )
      yield* Effect.forkScoped(Effect.repeat(writeOnce, Schedule.spaced(settings.interval)))
      yield* Effect.addFinalizer(() => writeOnce)
    })
  )

/** The snapshot file the environment asks for (SHADOW_METRICS_FILE), or nothing. */
export const HealthSnapshotFileFromEnv: Layer.Layer<never, ConfigError.ConfigError, ShadowHealth> = Layer.unwrapEffect(
  Effect.map(healthSnapshotFileSettings, Option.match({ onNone: () => Layer.empty, onSome: healthSnapshotFileLayer }))
)
