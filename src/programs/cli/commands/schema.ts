/** `omega-db schema` (phase 1): apply the PostgreSQL migrations and upgrade the SQLite file. Idempotent. */
import * as Command from "@effect/cli/Command"
import { Effect, Layer } from "effect"
import { applySchema } from "../../data/ApplySchema.js"
import { postgresLayer, shared, sqliteDatabaseLayer } from "../Options.js"
import { printSummary, renderSchemaSummary } from "../Output.js"

export const schemaCommand = Command.make("schema", shared, (flags) =>
  applySchema.pipe(
    Effect.provide(
      Layer.merge(sqliteDatabaseLayer(flags, { migrate: false }), postgresLayer(flags, { migrate: false }))
    ),
    Effect.flatMap((summary) => printSummary(summary, flags.json, renderSchemaSummary))
  )
).pipe(
  Command.withDescription("Phase 1: create the PostgreSQL schema and upgrade the SQLite file in place (idempotent)")
)
