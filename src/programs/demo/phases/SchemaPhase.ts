/** Guide phase 1: the PostgreSQL schema created, and the legacy SQLite file upgraded in place (idempotent). */
import { Effect } from "effect"
import { applySchema } from "../../data/ApplySchema.js"
import { bothDatabases, type DemoDatabaseSettings } from "../DemoDatabases.js"
import { phaseOutcome } from "../Phase.js"

export const schemaPhase = (settings: DemoDatabaseSettings) =>
  applySchema.pipe(
    Effect.provide(bothDatabases(settings)),
    Effect.map((summary) =>
      phaseOutcome({
        ok: true,
        figures: {
          "SQLite form before": summary.sqlite.formBefore,
          "SQLite migrations applied": summary.sqlite.applied.join(", ") || "none (already current)",
          "PostgreSQL migrations applied": summary.postgres.applied.join(", ") || "none (already current)"
        },
        notes: [
          "SQLite: missing columns added, FTS5 triggers replaced by the 'delete'-command form, index rebuilt once",
          "PostgreSQL: six tables (JSONB, BOOLEAN, NUMERIC, BIGINT), the legacy indexes, a GIN full-text index, the journal"
        ],
        details: summary,
        value: summary
      })
    )
  )
