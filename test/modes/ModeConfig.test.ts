/**
 * Configuration: the flags choose the guide's modes, anything but "true"/"false" is refused naming the variable,
 * READ without SHADOW is refused with a reason, and `DatabaseLive` logs the chosen mode once without secrets.
 */
import { describe, expect, it } from "@effect/vitest"
import { Config, ConfigProvider, Duration, Effect, Either, Layer, Logger, Option, Redacted } from "effect"
import { postgresUrl } from "../../src/runtime/config/DatabaseConfig.js"
import * as Modes from "../../src/runtime/config/Mode.js"
import {
  migrationMode,
  readWithoutShadowMessage,
  selectMode,
  shadowOptions
} from "../../src/runtime/config/ModeConfig.js"
import { defaultShadowOptions } from "../../src/runtime/config/ShadowOptions.js"
import { DatabaseLive } from "../../src/runtime/modes/DatabaseLayer.js"
import { ShadowHealth } from "../../src/runtime/modes/ShadowHealth.js"
import { MessageService } from "../../src/runtime/services/MessageService.js"
import { tempPostgresUrl, tempSqlite } from "../support/TestDatabases.js"
import { eventually } from "./support/Eventually.js"

const withEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

const read = <A>(config: Config.Config<A>, env: Record<string, string>) => Effect.either(withEnv(env)(config))

describe("mode configuration", () => {
  it.effect("chooses the guide's mode for every combination of flags", () =>
    Effect.gen(function* () {
      const cases: ReadonlyArray<[Record<string, string>, Modes.Mode | "refused"]> = [
        [{}, Modes.sqliteOnly],
        [{ USE_POSTGRES_SHADOW: "true" }, Modes.sqliteShadowedToPostgres],
        [{ USE_POSTGRES_READ: "true", USE_POSTGRES_SHADOW: "true" }, Modes.sqliteShadowedReadPostgres],
        [{ USE_POSTGRES_READ: "true" }, "refused"],
        [{ USE_POSTGRES_READ: "true", USE_POSTGRES_SHADOW: "false" }, "refused"],
        [{ USE_POSTGRES_PRIMARY: "true" }, Modes.postgresOnly],
        // The guide's phase 6 spells every flag out.
        [
          { USE_POSTGRES_PRIMARY: "true", USE_POSTGRES_READ: "false", USE_POSTGRES_SHADOW: "false" },
          Modes.postgresOnly
        ],
        [{ USE_POSTGRES_PRIMARY: "true", USE_POSTGRES_SHADOW: "true" }, Modes.postgresShadowedToSqlite],
        [{ USE_POSTGRES_PRIMARY: "true", USE_POSTGRES_READ: "true" }, Modes.postgresOnly],
        [{ USE_POSTGRES_PRIMARY: "false", USE_POSTGRES_READ: "false", USE_POSTGRES_SHADOW: "false" }, Modes.sqliteOnly]
      ]
      for (const [env, expected] of cases) {
        const result = yield* read(migrationMode, env)
        if (expected === "refused") {
          expect(Either.isLeft(result)).toBe(true)
        } else {
          expect(result).toEqual(Either.right(expected))
        }
      }
      expect(selectMode({ primary: false, read: true, shadow: false })).toEqual(Either.left(readWithoutShadowMessage))
    })
  )

  it.effect("refuses any flag value but true/false, naming the variable", () =>
    Effect.gen(function* () {
      for (const name of ["USE_POSTGRES_PRIMARY", "USE_POSTGRES_READ", "USE_POSTGRES_SHADOW"]) {
        for (const value of ["yes", "1", "on", "TRUE", "True", " true", ""]) {
          const result = yield* read(migrationMode, { [name]: value })
          expect(Either.isLeft(result)).toBe(true)
          if (Either.isLeft(result)) {
            const text = String(result.left)
            expect(text).toContain(name)
            expect(text).toContain(`must be "true" or "false", got "${value}"`)
          }
        }
      }
    })
  )

  it.effect("READ without SHADOW is refused with a message that says why and what to set", () =>
    Effect.gen(function* () {
      const result = yield* read(migrationMode, { USE_POSTGRES_READ: "true" })
      expect(Either.isLeft(result)).toBe(true)
      const text = Either.isLeft(result) ? String(result.left) : ""
      expect(text).toContain("USE_POSTGRES_READ")
      expect(text).toContain("USE_POSTGRES_SHADOW=true")
      expect(text).toContain("never receives new writes")
    })
  )

  it.effect("the PostgreSQL URL: POSTGRES_URL, else DATABASE_PUBLIC_URL, else DATABASE_URL; Redacted", () =>
    Effect.gen(function* () {
      const urls = {
        POSTGRES_URL: "postgres://a:pw1@h/one",
        DATABASE_PUBLIC_URL: "postgres://a:pw2@h/two",
        DATABASE_URL: "postgres://a:pw3@h/three"
      }
      const pick = (env: Record<string, string>) =>
        Effect.map(read(postgresUrl, env), Either.map(Option.map(Redacted.value)))
      expect(yield* pick(urls)).toEqual(Either.right(Option.some(urls.POSTGRES_URL)))
      expect(yield* pick({ DATABASE_PUBLIC_URL: urls.DATABASE_PUBLIC_URL, DATABASE_URL: urls.DATABASE_URL })).toEqual(
        Either.right(Option.some(urls.DATABASE_PUBLIC_URL))
      )
      expect(yield* pick({ DATABASE_URL: urls.DATABASE_URL })).toEqual(Either.right(Option.some(urls.DATABASE_URL)))
      const redacted = yield* read(postgresUrl, urls)
      expect(String(redacted)).not.toContain("pw1")
    })
  )

  it.effect("shadow tuning: defaults, overrides, and errors naming the variable", () =>
    Effect.gen(function* () {
      expect(yield* read(shadowOptions, {})).toEqual(Either.right(defaultShadowOptions))
      const tuned = yield* read(shadowOptions, {
        SHADOW_BATCH_SIZE: "50",
        SHADOW_LEASE_TTL_MS: "3000",
        SHADOW_POLL_INTERVAL_MS: "100",
        SHADOW_DRAIN_TIMEOUT_MS: "1500",
        SHADOW_HEALTH_INTERVAL_MS: "0"
      })
      expect(
        Either.map(tuned, (o) => [
          o.batchSize,
          Duration.toMillis(o.leaseTtl),
          Duration.toMillis(o.pollInterval),
          Duration.toMillis(o.drainTimeout),
          Duration.toMillis(o.healthInterval)
        ])
      ).toEqual(Either.right([50, 3000, 100, 1500, 0]))
      for (const [name, value] of [
        ["SHADOW_BATCH_SIZE", "0"],
        ["SHADOW_LEASE_TTL_MS", "0"],
        ["SHADOW_POLL_INTERVAL_MS", "soon"],
        ["SHADOW_DRAIN_TIMEOUT_MS", "-1"]
      ] as const) {
        const result = yield* read(shadowOptions, { [name]: value })
        expect(Either.isLeft(result) ? String(result.left) : "accepted").toContain(name)
      }
    })
  )
})

describe("DatabaseLive", () => {
  it.scopedLive("builds the configured mode, logs it once, and never logs the PostgreSQL password", () =>
    Effect.gen(function* () {
      const sqlite = yield* tempSqlite()
      const pg = yield* tempPostgresUrl
      const url = new URL(pg.url)
      url.password = "s3cret-pw" // trust auth ignores it; a log line must not show it
      const lines: Array<string> = []
      const capture = Logger.replace(
        Logger.defaultLogger,
        Logger.make((options) => {
          lines.push(Logger.logfmtLogger.log(options))
        })
      )
      const env = {
        USE_POSTGRES_READ: "true",
        USE_POSTGRES_SHADOW: "true",
        SQLITE_PATH: sqlite.filename,
        DATABASE_URL: url.toString(),
        SHADOW_HEALTH_INTERVAL_MS: "0"
      }
      const ctx = yield* Layer.build(DatabaseLive).pipe(withEnv(env), Effect.provide(capture))
      const messages = yield* Effect.provide(MessageService, ctx)
      const saved = yield* messages.saveHumanMessage({ userId: "u", username: "u", content: "hello" })
      expect(yield* messages.getMessageById(saved.id)).toEqual(Option.some(saved))
      const health = yield* Effect.provide(ShadowHealth, ctx)
      // The read may have been answered by SQLite before the shadow applied the write: wait for the shadow itself.
      const snapshot = yield* eventually(health.snapshot, (s) => s.succeeded > 0)
      expect(snapshot).toMatchObject({
        enabled: true,
        primary: "sqlite",
        target: "postgres",
        succeeded: 1
      })

      const modeLines = lines.filter((l) => l.includes("database mode"))
      expect(modeLines).toHaveLength(1)
      expect(modeLines[0]).toContain("sqlite primary, shadow writes to postgres, reads from postgres")
      expect(lines.join("\n")).not.toContain("s3cret-pw")
    })
  )

  it.scopedLive("refuses to start on a bad flag, before opening anything", () =>
    Effect.gen(function* () {
      const result = yield* Effect.either(
        Layer.build(DatabaseLive).pipe(
          withEnv({ USE_POSTGRES_SHADOW: "ture", SQLITE_PATH: "/nonexistent/never-created.db" })
        )
      )
      expect(Either.isLeft(result) ? String(result.left) : "started").toContain(
        'USE_POSTGRES_SHADOW must be "true" or "false", got "ture"'
      )
    })
  )
})
