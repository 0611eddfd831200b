/**
 * The INSERT fallback for servers without COPY FROM STDIN (src/programs/data/InsertFallback.ts), against the real
 * PostgreSQL: the same COPY text loaded by COPY and by the fallback ends in the same values, statements stay
 * within the protocol's 65,535 parameters, the whole payload is atomic, and failures carry COPY's SQLSTATEs.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Layer } from "effect"
import * as PostgresDatabase from "../../src/runtime/layers/PostgresDatabase.js"
import { copyLine } from "../../src/programs/data/CopyText.js"
import {
  copyAsInserts,
  CopyTextInvalid,
  decodeCopyText,
  insertAtomically,
  maxParameters
} from "../../src/programs/data/InsertFallback.js"
import { isRowLevel, type PgSession, pgSession } from "../../src/programs/data/PgSession.js"
import { tempPostgres } from "../support/TestDatabases.js"

const columns = `"id", "n", "r", "b", "j", "t"`
const createTable = (name: string) =>
  `CREATE TABLE ${name} (id TEXT PRIMARY KEY, n BIGINT, r DOUBLE PRECISION, b BOOLEAN, j JSONB, t TEXT)`

/** Every awkward value of COPY text: NULLs, escapes, a literal `\N`, JSON with escapes, boolean spellings. */
const awkwardRows: ReadonlyArray<ReadonlyArray<string | null>> = [
  ["a", "1", "1.5", "t", '{"k": [1, 2.5, null, true], "s": "tab\\there \\"q\\""}', "tab\there"],
  ["b", null, null, null, null, null],
  ["c", "-9007199254740991", "1e-300", "f", '"just a string"', "new\nline\r\nand back\\slash"],
  ["d", "9223372036854775807", "Infinity", "true", "[]", "\\N is text here"],
  ["e", "0", "-0", "false", "null", ""],
  ["f", "42", "NaN", "yes", '{"emoji": "🎉", "nested": {"deep": [{}]}}', "日本語 🎉 'quotes' \"double\""]
]

const payloadOf = (rows: ReadonlyArray<ReadonlyArray<string | null>>) =>
  Buffer.from(rows.map(copyLine).join(""), "utf8")

/** A session on a fresh database of the real server, for the scope. */
const session = Effect.gen(function* () {
  const options = yield* tempPostgres({ migrate: false, poolSize: 2 })
  const context = yield* Layer.build(PostgresDatabase.layer(options))
  return yield* pgSession("test").pipe(Effect.provide(context))
})

/** The fallback run through the session's own statements, as PgSession.copyIn runs it on PGlite. */
const viaInserts = (s: PgSession, statement: string, payload: Buffer, inTransaction = false) =>
  Effect.flatMap(copyAsInserts(statement, payload), (statements) =>
    insertAtomically(statements, s.query, inTransaction)
  )

const rowsOf = (s: PgSession, table: string) =>
  Effect.map(s.query<{ row: string }>(`SELECT row_to_json(x)::text AS row FROM ${table} x ORDER BY id`), (r) =>
    r.rows.map((row) => row.row)
  )

describe("COPY text as INSERTs", () => {
  it.scopedLive("loads exactly what COPY loads from the same text", () =>
    Effect.gen(function* () {
      const s = yield* session
      yield* s.query(`${createTable("by_copy")}; ${createTable("by_insert")}`)
      const payload = payloadOf(awkwardRows)
      expect(decodeCopyText(payload)).toEqual(awkwardRows)

      expect(yield* s.copyIn(`COPY by_copy (${columns}) FROM STDIN`, payload)).toBe(awkwardRows.length)
      expect(yield* viaInserts(s, `COPY by_insert (${columns}) FROM STDIN`, payload)).toBe(awkwardRows.length)
      const copied = yield* rowsOf(s, "by_copy")
      expect(copied).toHaveLength(awkwardRows.length)
      expect(yield* rowsOf(s, "by_insert")).toEqual(copied)
      const text = yield* s.query<{ t: string | null; j: unknown }>(`SELECT t, j FROM by_insert ORDER BY id`)
      expect(text.rows.map((r) => r.t)).toEqual(awkwardRows.map((r) => r[5]))
      expect(text.rows[0]?.j).toEqual({ k: [1, 2.5, null, true], s: 'tab\there "q"' })
    })
  )

  it.scopedLive("splits at 65,535 parameters per statement, and the server takes exactly that many", () =>
    Effect.gen(function* () {
      const s = yield* session
      yield* s.query(`CREATE TABLE one (id TEXT PRIMARY KEY); ${createTable("wide")}`)

      // One column: the first statement carries exactly the maximum.
      const single = Array.from({ length: maxParameters + 10 }, (_, i) => [`k${i}`])
      const singleStatements = Either.getOrThrow(copyAsInserts(`COPY one ("id") FROM STDIN`, payloadOf(single)))
      expect(singleStatements.map((st) => st.values.length)).toEqual([maxParameters, 10])
      expect(yield* viaInserts(s, `COPY one ("id") FROM STDIN`, payloadOf(single))).toBe(single.length)

      // Six columns, 30,000 rows: 180,000 parameters in three statements of whole rows.
      const wide = Array.from({ length: 30_000 }, (_, i) => [
        `w${String(i).padStart(5, "0")}`,
        String(i),
        String(i / 7),
        i % 2 === 0 ? "t" : "f",
        i % 3 === 0 ? null : `{"i": ${i}}`,
        `row\t${i}\n`
      ])
      const statement = `COPY wide (${columns}) FROM STDIN`
      const wideStatements = Either.getOrThrow(copyAsInserts(statement, payloadOf(wide)))
      expect(wideStatements.map((st) => st.rows)).toEqual([10_922, 10_922, 8_156])
      for (const st of wideStatements) expect(st.values.length).toBeLessThanOrEqual(maxParameters)
      expect(yield* viaInserts(s, statement, payloadOf(wide))).toBe(wide.length)
      const check = yield* s.query<{ n: number; nulls: number; last: string }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE j IS NULL)::int AS nulls, max(t) AS last FROM wide`
      )
      expect(check.rows[0]).toEqual({ n: 30_000, nulls: 10_000, last: "row\t9999\n" })
    })
  )

  it.scopedLive("is atomic, alone or in the caller's transaction, and fails with COPY's SQLSTATEs", () =>
    Effect.gen(function* () {
      const s = yield* session
      yield* s.query(createTable("target"))
      const statement = `COPY target (${columns}) FROM STDIN`
      // 12,000 good rows (two statements) and a bad bigint in the last one.
      const rows = Array.from({ length: 12_000 }, (_, i) => [`r${i}`, String(i), null, null, null, null])
      rows.push(["bad", "not a number", null, null, null, null])
      const failed = yield* Effect.flip(viaInserts(s, statement, payloadOf(rows)))
      const copyFailed = yield* Effect.flip(s.copyIn(statement, payloadOf(rows)))
      expect(failed.code).toBe("22P02")
      expect(failed.code).toBe(copyFailed.code)
      expect(failed._tag === "PgFailure" && isRowLevel(failed)).toBe(true)
      expect((yield* s.query<{ n: number }>(`SELECT count(*)::int AS n FROM target`)).rows[0]?.n).toBe(0)

      // Inside the caller's transaction: the failure aborts it (as COPY would), a savepoint isolates it.
      yield* s.query("BEGIN; SAVEPOINT batch")
      const inside = yield* Effect.flip(viaInserts(s, statement, payloadOf(rows), true))
      expect(inside.code).toBe("22P02")
      yield* s.query("ROLLBACK TO SAVEPOINT batch")
      expect(yield* viaInserts(s, statement, payloadOf(rows.slice(0, 5)), true)).toBe(5)
      yield* s.query("COMMIT")
      expect((yield* s.query<{ n: number }>(`SELECT count(*)::int AS n FROM target`)).rows[0]?.n).toBe(5)

      // A line with the wrong number of fields: COPY's own 22P04, nothing sent.
      const short = Buffer.from("x\t1\n", "utf8")
      const invalid = copyAsInserts(statement, short)
      expect(Either.isLeft(invalid) && invalid.left).toEqual(
        new CopyTextInvalid({ code: "22P04", message: "line 1 of the COPY text has 2 fields, expected 6" })
      )
      expect((yield* Effect.flip(s.copyIn(statement, short))).code).toBe("22P04")
      expect(Either.isLeft(copyAsInserts(`COPY target (${columns}) FROM STDIN WITH (FORMAT csv)`, short))).toBe(true)
      expect(yield* viaInserts(s, statement, Buffer.alloc(0))).toBe(0)
    })
  )
})
