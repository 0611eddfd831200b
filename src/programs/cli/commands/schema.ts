/** `omega-db schema` (phase 1): apply the PostgreSQL migrations and upgrade the SQLite file. Idempotent. */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { Effect, Layer } from "effect"
import { applySchema } from "../../data/ApplySchema.js"
import { postgresLayer, shared } from "../Options.js"
import { printSummary, renderSchemaSummary } from "../Output.js"
import { checkPostgresUrl } from "../PostgresUrl.js"
import { schemaSqliteLayer } from "../SqliteFileGuard.js"

const options = {
  ...shared,
  create: Options.boolean("create").pipe(
    Options.withDescription(
      "make the bot's database where there is none (a missing path, or a SQLite file without tables); " +
        "without it only the bot's existing database is upgraded"
    )
  )
} as const

export const schemaCommand = Command.make("schema", options, (flags) =>
  // The URL and the SQLite file are checked before either database is opened: a refusal changes nothing.
  checkPostgresUrl(flags.postgres).pipe(
    Effect.zipRight(
      applySchema.pipe(
        Effect.provide(Layer.merge(schemaSqliteLayer(flags, flags.create), postgresLayer(flags, { migrate: false })))
      )
    ),
    Effect.flatMap((summary) => printSummary(summary, flags.json, renderSchemaSummary))
  )
).pipe(
  Command.withDescription(
    "Phase 1: create the PostgreSQL schema and upgrade the bot's SQLite file in place (idempotent; --create makes it)"
  )
)
