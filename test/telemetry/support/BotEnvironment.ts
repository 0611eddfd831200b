/**
 * The bot's own layer (`DatabaseLive`) configured by an environment given as a record, as the bot's process
 * environment would configure it; and phase 4 of the guide (SQLite primary, PostgreSQL shadow) on fresh databases.
 */
import { ConfigProvider, Effect, Layer } from "effect"
import { DatabaseLive } from "../../../src/runtime/modes/DatabaseLayer.js"
import { tempPostgresUrl, tempSqlite } from "../../support/TestDatabases.js"

export const botLayer = (env: Record<string, string>) =>
  DatabaseLive.pipe(Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))))

/**
 * Shadow writing on a temp SQLite file and a temp PostgreSQL database (its URL returned too, to look into it),
 * health log off, `extra` on top.
 */
export const shadowPhaseLayer = (extra: Record<string, string>) =>
  Effect.gen(function* () {
    const sqlite = yield* tempSqlite()
    const pg = yield* tempPostgresUrl
    const layer = botLayer({
      USE_POSTGRES_SHADOW: "true",
      SQLITE_PATH: sqlite.filename,
      POSTGRES_URL: pg.url,
      SHADOW_HEALTH_INTERVAL_MS: "0",
      ...extra
    })
    return { layer, postgresUrl: pg.url }
  })
