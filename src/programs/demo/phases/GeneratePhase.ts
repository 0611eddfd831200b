/**
 * The starting point: a legacy SQLite database as the bot has it in the field, in its early form (user_profiles
 * without the columns added later) and with the data quirks of years of production: invalid JSON, U+0000, wrong
 * storage classes, NULL booleans, orphan rows and a stale full-text index.
 */
import { Effect } from "effect"
import { generateLegacyDatabase, type LegacyQuirkKind } from "../../../testkit/LegacyDatabaseGenerator.js"
import { phaseOutcome } from "../Phase.js"

const quirkMeaning: Readonly<Record<LegacyQuirkKind, string>> = {
  invalid_json: "JSON columns holding text that is not JSON",
  nul_character: "text with U+0000, which PostgreSQL TEXT cannot store",
  real_in_integer_column: "REAL values in INTEGER columns",
  numeric_text_in_integer_column: "numeric text SQLite's type affinity stored as a number ('80' as 80)",
  empty_text_in_numeric_column: "'' in numeric columns (SQLite's type affinity let it in)",
  null_boolean: "NULL in is_public",
  orphan_row: "rows whose parent row does not exist (the bot never enforced foreign keys)",
  fts_stale_after_update: "full-text entries left stale by the old UPDATE trigger",
  fts_stale_after_delete: "full-text entries left behind by the old DELETE trigger"
}

export const generatePhase = (options: { readonly path: string; readonly messages: number; readonly seed: number }) =>
  Effect.gen(function* () {
    const summary = yield* generateLegacyDatabase({
      path: options.path,
      form: "early",
      messages: options.messages,
      seed: options.seed,
      quirks: true
    })
    const byKind = new Map<LegacyQuirkKind, number>()
    for (const q of summary.quirks) byKind.set(q.kind, (byKind.get(q.kind) ?? 0) + 1)
    const rows = Object.values(summary.counts).reduce((n, c) => n + c, 0)
    return phaseOutcome({
      ok: true,
      figures: {
        file: summary.path,
        "schema form": "early (user_profiles without its later columns)",
        rows,
        ...summary.counts,
        "quirks planted": summary.quirks.length
      },
      notes: [...byKind].map(([kind, n]) => `${n} x ${kind}: ${quirkMeaning[kind]}`),
      details: { counts: summary.counts, quirks: summary.quirks },
      value: summary
    })
  })
