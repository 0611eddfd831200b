/**
 * What the bot writes into a profile is stored and read back unchanged on both backends, through the services:
 * 72.5 in an INTEGER column stays 72.5, numeric text is stored as its number (SQLite's affinity rule, applied
 * before either store sees it), and what one backend could not store like the other is refused on both.
 */
import { describe, expect, it } from "@effect/vitest"
import Sqlite from "better-sqlite3"
import { Effect, Either, Option, Redacted } from "effect"
import Pg from "pg"
import { postgresBackend, sqliteBackend } from "../../src/runtime/modes/DatabaseLayer.js"
import { UserProfileService } from "../../src/runtime/services/UserProfileService.js"
import { tempPostgresUrl, tempSqlite } from "../support/TestDatabases.js"

const written = {
  affinity_score: 72.5,
  openness_score: 24.5,
  trust_level: "80",
  empathy_score: " 80 ",
  cooperation_score: "8e1",
  social_dominance_score: "-12.25",
  message_count: "12",
  archetype_confidence: "0.875",
  last_analyzed_at: "1700000000"
}
const expected = {
  affinity_score: 72.5,
  openness_score: 24.5,
  trust_level: 80,
  empathy_score: 80,
  cooperation_score: 80,
  social_dominance_score: -12.25,
  message_count: 12,
  archetype_confidence: 0.875,
  last_analyzed_at: 1_700_000_000
}
const columns = Object.keys(expected)

/** Writes and reads back through the service, and tries what must be refused. */
const roundTrip = Effect.gen(function* () {
  const profiles = yield* UserProfileService
  yield* profiles.createUserProfile({ userId: "u-numbers", username: "Numbers" })
  yield* profiles.updateUserProfile("u-numbers", written)
  const read = Option.getOrThrow(yield* profiles.getUserProfile("u-numbers"))
  const refused = yield* Effect.forEach(
    [{ trust_level: "abc" }, { affinity_score: Number.NaN }, { affinity_score: Infinity }, { last_analyzed_at: 1.5 }],
    (update) => Effect.either(profiles.updateUserProfile("u-numbers", update))
  )
  return { read, refused, after: Option.getOrThrow(yield* profiles.getUserProfile("u-numbers")) }
})

const checkRoundTrip = (result: Effect.Effect.Success<typeof roundTrip>) => {
  expect(result.read).toMatchObject(expected)
  for (const column of columns) expect(typeof result.read[column as keyof typeof result.read]).toBe("number")
  for (const outcome of result.refused) {
    expect(Either.isLeft(outcome) && outcome.left._tag).toBe("InvalidInput")
  }
  // Nothing refused reached a store.
  expect(result.after).toMatchObject(expected)
}

describe("profile numbers on both backends", () => {
  it.scoped("sqlite: stored as SQLite's affinity stores them, read back unchanged", () =>
    Effect.gen(function* () {
      const options = yield* tempSqlite()
      checkRoundTrip(yield* roundTrip.pipe(Effect.provide(sqliteBackend(options))))
      const db = new Sqlite(options.filename, { readonly: true })
      try {
        const stored = db
          .prepare(
            `SELECT typeof(affinity_score) AS fraction, typeof(trust_level) AS text, trust_level FROM user_profiles
             WHERE user_id = 'u-numbers'`
          )
          .get()
        expect(stored).toEqual({ fraction: "real", text: "integer", trust_level: 80 })
      } finally {
        db.close()
      }
    })
  )

  it.scoped("postgres: NUMERIC keeps the fraction, read back as the same JS number", () =>
    Effect.gen(function* () {
      const { url } = yield* tempPostgresUrl
      const options = { url: Redacted.make(url), poolSize: 2, connectTimeoutMs: 5000, migrate: true }
      checkRoundTrip(yield* roundTrip.pipe(Effect.provide(postgresBackend(options))))
      const stored = yield* Effect.promise(async () => {
        const client = new Pg.Client({ connectionString: url })
        await client.connect()
        try {
          const result = await client.query<{ fraction: string; text: string; type: string }>(`SELECT
            affinity_score::text AS fraction, trust_level::text AS text,
            pg_typeof(affinity_score)::text AS type FROM user_profiles WHERE user_id = 'u-numbers'`)
          return result.rows[0]
        } finally {
          await client.end()
        }
      })
      expect(stored).toEqual({ fraction: "72.5", text: "80", type: "numeric" })
    })
  )
})
