/**
 * A mode phase runs the bot's own `DatabaseLive`, configured as the guide says: by the USE_POSTGRES_* variables.
 * Each phase is a restart of the bot with new variables, over the same two databases. The configuration is the
 * demo's alone (never the caller's environment), so a variable set in the shell cannot change the walk-through.
 */
import { ConfigProvider, Effect, Redacted } from "effect"
import { migrationMode } from "../../runtime/config/ModeConfig.js"
import { DatabaseLive, type Database } from "../../runtime/modes/DatabaseLayer.js"
import { describeMode } from "../../runtime/config/Mode.js"
import type { DemoDatabaseSettings } from "./DemoDatabases.js"
import { retryWhileSlotTaken } from "./Reconnect.js"

export type ModeVariables = Readonly<Record<string, "true" | "false">>

/** The guide's variables for each phase. */
export const shadowVariables: ModeVariables = { USE_POSTGRES_SHADOW: "true" }
export const readVariables: ModeVariables = {
  USE_POSTGRES_PRIMARY: "false",
  USE_POSTGRES_READ: "true",
  USE_POSTGRES_SHADOW: "true"
}
export const postgresPrimaryVariables: ModeVariables = { USE_POSTGRES_PRIMARY: "true", USE_POSTGRES_SHADOW: "true" }
/** Rollback: "remove the environment variables to revert to SQLite". */
export const rollbackVariables: ModeVariables = {}

const configFor = (variables: ModeVariables, settings: DemoDatabaseSettings) =>
  ConfigProvider.fromMap(
    new Map([
      ["SQLITE_PATH", settings.sqlitePath],
      ["POSTGRES_URL", Redacted.value(settings.postgres.url)],
      ["POSTGRES_POOL_SIZE", String(settings.postgres.poolSize)],
      ["POSTGRES_CONNECT_TIMEOUT_MS", String(settings.postgres.connectTimeoutMs)],
      // The demo prints its own figures; the periodic health log line would only interleave with them.
      ["SHADOW_HEALTH_INTERVAL_MS", "0"],
      ...Object.entries(variables)
    ])
  )

/** Runs `body` against the bot's database as configured by `variables`; the layer (and its shadow) closes after. */
export const inMode = <A, E>(
  variables: ModeVariables,
  settings: DemoDatabaseSettings,
  body: Effect.Effect<A, E, Database>
) =>
  Effect.gen(function* () {
    const mode = describeMode(yield* migrationMode)
    const value = yield* body.pipe(Effect.provide(retryWhileSlotTaken(DatabaseLive)))
    return { mode, value }
  }).pipe(Effect.withConfigProvider(configFor(variables, settings)))
