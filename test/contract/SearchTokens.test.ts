/**
 * SQLite and PostgreSQL split and fold search words alike, code point by code point: for each code point c, the
 * message "a<c>b" must be indexed as the same words by FTS5 (SQLite migration 4) and by the expression of the GIN
 * index (PostgreSQL migration 5): one word when c belongs to words, "a" and "b" when it separates them, with the
 * same case and diacritic folding. Covered: the Basic and Supplementary Multilingual Planes and the tags and
 * variation selectors of plane 14 entirely, a sample of the ideograph and private-use planes.
 *
 * Three differences remain, and are named rather than hidden: code points that are unassigned or private use
 * (FTS5 keeps them in words, PostgreSQL splits); letters, marks and digits newer than the PostgreSQL server's C
 * library (plain `to_tsvector` splits at them, on this server); and upper-case letters of case pairs newer than
 * Unicode 6.1, which FTS5 does not lower-case.
 */
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import * as PostgresDatabase from "../../src/runtime/layers/PostgresDatabase.js"
import * as SqliteDatabase from "../../src/runtime/layers/SqliteDatabase.js"
import { tempPostgres, tempSqlite } from "../support/TestDatabases.js"

/** The code points compared, as one SQL condition on `n` that both dialects read alike. */
const covered = `n NOT BETWEEN 55296 AND 57343 AND (n < 131072 OR n BETWEEN 917504 AND 921599 OR n % 97 = 0)`
const first = 0x80
const last = 0x10ffff

const residual = (cp: number, sqliteWords: string, postgresWords: string, plainWordCount: number) => {
  const c = String.fromCodePoint(cp)
  if (/^[\p{Cn}\p{Co}]$/u.test(c)) return "unassigned or private use"
  if (/^[\p{L}\p{M}\p{Nd}\p{Nl}]$/u.test(c) && plainWordCount === 2) return "unknown to the server's C library"
  if (sqliteWords.toLowerCase() === postgresWords) return "case pair newer than Unicode 6.1"
  return undefined
}

describe("search words, code point by code point", () => {
  it.scoped(
    "FTS5 and the GIN index expression split and fold every code point alike",
    () =>
      Effect.gen(function* () {
        const sqliteContext = yield* Layer.build(SqliteDatabase.layer(yield* tempSqlite()))
        const postgresContext = yield* Layer.build(PostgresDatabase.layer(yield* tempPostgres()))
        const sqlite = Context.get(sqliteContext, SqliteDatabase.SqliteDatabase).sql
        const postgres = Context.get(postgresContext, PostgresDatabase.PostgresDatabase).sql

        // Through the real table: the insert trigger indexes each message with the migrated tokenizer.
        yield* sqlite.unsafe(`WITH RECURSIVE cp(n) AS (SELECT ${first} UNION ALL SELECT n + 1 FROM cp WHERE n < ${last})
          INSERT INTO messages (id, timestamp, sender_type, message_content)
          SELECT 'cp' || n, n, 'human', 'a' || char(n) || 'b' FROM cp WHERE ${covered}`)
        yield* sqlite.unsafe("CREATE VIRTUAL TABLE temp.message_words USING fts5vocab(main, messages_fts, 'instance')")
        const instances = yield* sqlite.unsafe<{ cp: number; term: string | null }>(`SELECT m.timestamp AS cp, w.term
          FROM temp.message_words w JOIN messages m ON m.rowid = w.doc ORDER BY m.timestamp, w.offset`)
        const sqliteWords = new Map<number, Array<string>>()
        for (const { cp, term } of instances) {
          if (term === null) continue
          const words = sqliteWords.get(cp) ?? []
          words.push(term)
          sqliteWords.set(cp, words)
        }

        const postgresRows = yield* postgres.unsafe<{
          cp: number
          words: string
          plain: number
          found: boolean | null
        }>(`SELECT n AS cp,
            array_to_string(array(SELECT lexeme FROM unnest(v) ORDER BY positions[1]), ' ') AS words,
            array_length(tsvector_to_array(to_tsvector('simple', t)), 1) AS plain,
            v @@ messages_search_query(t) AS found
          FROM (SELECT n, t, messages_search_vector(t, NULL, NULL) AS v
                FROM (SELECT n, 'a' || chr(n) || 'b' AS t
                      FROM generate_series(${first}, ${last}) n WHERE ${covered}) s) s`)

        const unexplained: Array<string> = []
        const explained: Record<string, number> = {}
        for (const row of postgresRows) {
          // A user's words are folded like the indexed text: searching a message's own text finds it.
          if (row.found === false) unexplained.push(`${row.cp.toString(16)}: messages_search_query misses its text`)
          const onSqlite = (sqliteWords.get(row.cp) ?? []).join(" ")
          if (onSqlite === row.words) continue
          const why = residual(row.cp, onSqlite, row.words, row.plain)
          if (why === undefined) {
            unexplained.push(`${row.cp.toString(16)}: sqlite ${JSON.stringify(onSqlite)}, postgres ${row.words}`)
          } else explained[why] = (explained[why] ?? 0) + 1
        }
        yield* Effect.logInfo("code points that differ for a named reason").pipe(Effect.annotateLogs(explained))
        expect(postgresRows.length).toBeGreaterThan(135_000)
        expect(unexplained.slice(0, 30)).toEqual([])
      }),
    120_000
  )
})
