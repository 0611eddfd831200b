/**
 * verify's schema check compares PostgreSQL's column types with the ones the migrations give each kind: a
 * database whose INTEGER columns are still BIGINT (migration 4 undone, or a schema made by hand) would refuse the
 * fractions SQLite keeps, and is named column by column. Fractions SQLite and PostgreSQL both hold compare equal.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { verify } from "../../src/programs/verify/Verify.js"
import { checkOf, freshDatabases, rawSql, seedBoth, testOptions } from "./Fixtures.js"

describe("verify: PostgreSQL column types", () => {
  it.live("fails on a column of another type than its kind's, naming it", () =>
    Effect.gen(function* () {
      yield* seedBoth
      yield* rawSql("postgres", "ALTER TABLE user_profiles ALTER COLUMN affinity_score TYPE BIGINT")
      yield* rawSql("postgres", "ALTER TABLE queries ALTER COLUMN timestamp TYPE NUMERIC")
      const schema = checkOf(yield* verify(testOptions), "schema")
      expect(schema.status).toBe("fail")
      expect(schema.details).toEqual([
        "postgres: queries: timestamp is numeric, not bigint",
        "postgres: user_profiles: affinity_score is bigint, not numeric"
      ])
    }).pipe(Effect.provide(freshDatabases()))
  )

  it.live("passes, and the contents match, when both sides hold the same fractional scores", () =>
    Effect.gen(function* () {
      yield* seedBoth
      for (const backend of ["sqlite", "postgres"] as const) {
        yield* rawSql(backend, "UPDATE user_profiles SET affinity_score = 72.5, trust_level = 24.5")
      }
      const report = yield* verify(testOptions)
      expect(checkOf(report, "schema").status).toBe("pass")
      expect(checkOf(report, "content").status).toBe("pass")
    }).pipe(Effect.provide(freshDatabases()))
  )
})
