/**
 * What `updateUserProfile` lets through to the stores, checked without a database: numbers as SQLite keeps them
 * (72.5 in an INTEGER column, '80' as 80), refused with an InvalidInput naming the column when one backend could
 * not store the value as the other does (text that is no number, NaN and ±Infinity, a fraction of a second).
 */
import { describe, expect, it } from "@effect/vitest"
import Sqlite from "better-sqlite3"
import { Effect, Either, Schema } from "effect"
import { numberFromText, writeSchemaOf } from "../../src/runtime/domain/Column.js"
import { userProfileColumns, UserProfileUpdates } from "../../src/runtime/domain/UserProfile.js"
import { validate } from "../../src/runtime/services/internal/validate.js"

const updates = validate(UserProfileUpdates, "updateUserProfile")

const refusal = (input: Record<string, unknown>) =>
  Effect.map(Effect.flip(updates(input)), (error) => ({ tag: error._tag, message: error.message }))

describe("numbers written to a profile", () => {
  it.effect("accept fractions in INTEGER columns and numeric text, converted as SQLite's affinity does", () =>
    Effect.gen(function* () {
      expect(yield* updates({ affinity_score: 72.5, openness_score: 24.5, message_count: -3 })).toEqual({
        affinity_score: 72.5,
        openness_score: 24.5,
        message_count: -3
      })
      const texts = {
        trust_level: "80",
        openness_score: " 80 ",
        empathy_score: "8e1",
        affinity_score: "72.5",
        cooperation_score: "+80",
        verbal_fluency_score: "\t80\n",
        social_dominance_score: "80.0",
        approachability_score: ".5",
        facial_symmetry_score: "5.",
        message_count: "00080",
        archetype_confidence: "0.875",
        last_analyzed_at: "1700000000",
        last_interaction_at: " 1.7e9 "
      }
      expect(yield* updates(texts)).toEqual({
        trust_level: 80,
        openness_score: 80,
        empathy_score: 80,
        affinity_score: 72.5,
        cooperation_score: 80,
        verbal_fluency_score: 80,
        social_dominance_score: 80,
        approachability_score: 0.5,
        facial_symmetry_score: 5,
        message_count: 80,
        archetype_confidence: 0.875,
        last_analyzed_at: 1_700_000_000,
        last_interaction_at: 1_700_000_000
      })
      // NULL still clears a nullable column.
      expect(yield* updates({ affinity_score: null, last_analyzed_at: null })).toEqual({
        affinity_score: null,
        last_analyzed_at: null
      })
    })
  )

  it.effect("refuse text that is not a number with an InvalidInput naming the column", () =>
    Effect.gen(function* () {
      for (const text of ["abc", "", " ", "0x50", "Infinity", "NaN", "1_000", "1,5", "\u00a080", "80abc", "1e"]) {
        const refused = yield* refusal({ trust_level: text })
        expect(refused.tag).toBe("InvalidInput")
        expect(refused.message).toContain("trust_level")
        expect(refused.message).toContain(`${JSON.stringify(text)} is not a number (INTEGER column)`)
      }
      const real = yield* refusal({ archetype_confidence: "high" })
      expect(real.message).toContain("archetype_confidence")
      expect(real.message).toContain(`"high" is not a number (REAL column)`)
    })
  )

  it.effect("refuse NaN and ±Infinity, given as numbers or as text SQLite reads as infinite", () =>
    Effect.gen(function* () {
      for (const [value, shown] of [
        [NaN, "NaN"],
        [Infinity, "Infinity"],
        [-Infinity, "-Infinity"],
        ["1e400", `"1e400"`]
      ] as const) {
        for (const column of ["affinity_score", "archetype_confidence", "last_analyzed_at"]) {
          const refused = yield* refusal({ [column]: value })
          expect(refused.tag).toBe("InvalidInput")
          expect(refused.message).toContain(column)
          expect(refused.message).toContain(`${shown} is not a finite number`)
        }
      }
    })
  )

  it.effect("refuse a fraction in a time column, which PostgreSQL keeps as BIGINT", () =>
    Effect.gen(function* () {
      const refused = yield* refusal({ last_analyzed_at: 1_700_000_000.5 })
      expect(refused.tag).toBe("InvalidInput")
      expect(refused.message).toContain("last_analyzed_at")
      expect(refused.message).toContain("1700000000.5 is not a whole number of seconds (epoch seconds column)")
      expect((yield* refusal({ last_interaction_at: "1700000000.5" })).message).toContain("not a whole number")
    })
  )

  it.effect("refuse integer text a JS number cannot hold exactly, which SQLite would keep as a 64-bit integer", () =>
    Effect.gen(function* () {
      const refused = yield* refusal({ message_count: "9007199254740993" })
      expect(refused.message).toContain(`"9007199254740993" is beyond 2^53`)
      // Representable exactly, or beyond 64 bits (SQLite then stores the REAL a JS number is): accepted.
      expect(yield* updates({ message_count: "1152921504606846976" })).toEqual({ message_count: 2 ** 60 })
      expect(yield* updates({ message_count: "9223372036854775808" })).toEqual({ message_count: 2 ** 63 })
    })
  )
})

describe("numeric text, compared with SQLite's own affinity", () => {
  it("is a number exactly when SQLite stores it as one, and the same number", () => {
    const db = new Sqlite(":memory:")
    try {
      db.exec("CREATE TABLE t (i INTEGER)")
      const stored = db.prepare<[string], { type: string; value: unknown }>(
        "INSERT INTO t VALUES (?) RETURNING typeof(i) AS type, i AS value"
      )
      const samples = [
        ...["80", " 80 ", "\t80\n", "\v80\f", "\r80", "8e1", "8E1", "80.0", "+80", "-80", "00080", ".5", "5.", "-.5e2"],
        ...["1.e5", "+.5", "72.5", "  72.5", "1e-5", "1e-400", "1e400", "-1e400", "-0", "9223372036854775807"],
        ...["9223372036854775808", "80\u0000x", "8\u00000", "\u000080", "0x50", "", " ", "abc", "80abc", "1_000"],
        ...["1,5", "Infinity", "inf", "NaN", "e5", "1e", "1e+", ".e5", "+-1", "1 2", "\u00a080", "\u200b80", "١٢"]
      ]
      // And random strings over the characters that matter, so the pattern is not only right on what we thought of.
      const alphabet = ["0", "1", "5", "9", ".", "e", "E", "+", "-", " ", "\t", "\n", "x", "\u00a0", "\u0000"]
      let seed = 7
      const next = (k: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31
        return seed % k
      }
      for (let n = 0; n < 20_000; n++) {
        let text = ""
        for (let length = 1 + next(7); length > 0; length--) text += alphabet[next(alphabet.length)]
        samples.push(text)
      }
      for (const text of samples) {
        const sqlite = stored.get(text)!
        const ours = numberFromText(text)
        const label = JSON.stringify(text)
        if (sqlite.type === "text") {
          expect("refused" in ours, `${label} stays text in SQLite`).toBe(true)
        } else if ("number" in ours) {
          expect(ours.number, label).toBe(Number(sqlite.value))
          // What is written is the checked number ('-0' → 0, as SQLite stores it); '1e400' is refused.
          const written = Schema.decodeUnknownEither(writeSchemaOf(userProfileColumns.trust_level))(text)
          if (Number.isFinite(ours.number)) expect(Either.getOrThrow(written), label).toBe(Number(sqlite.value))
          else expect(Either.isLeft(written), label).toBe(true)
        } else {
          // Only integers a JS number cannot hold exactly are refused although SQLite stores them.
          expect(ours.refused, label).toMatch(/beyond 2\^53/)
          expect(sqlite.type).toBe("integer")
        }
      }
    } finally {
      db.close()
    }
  })
})
