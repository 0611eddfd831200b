/**
 * "Full-text search works correctly": words sampled from the data are searched through both Stores (FTS5 on
 * SQLite, the GIN-indexed tsvector on PostgreSQL) and must return the same ids. SQLite's index is also checked
 * at its source: the triggers must be the 'delete'-command form (the legacy plain DELETE leaves stale terms
 * behind), and FTS5's integrity-check must find the index in step with the messages table.
 */
import type { SqlClient, SqlError } from "@effect/sql"
import { Effect, Option } from "effect"
import type { StoreError } from "../../../runtime/domain/Errors.js"
import type { Store } from "../../../runtime/store/Store.js"
import { ftsTriggersSql } from "../../../runtime/schema/SqliteMigrations.js"
import { hasNul } from "../../data/ConversionRules.js"
import type { Databases } from "../Databases.js"
import type { RecordedRejects } from "../Rejects.js"
import { check, type CheckResult } from "../VerifyReport.js"

/** Enough to compare real searches; both Stores order by (timestamp, id), so a truncated list is the same prefix. */
const searchLimit = 1000

const normaliseSql = (text: string) => text.replace(/\s+/g, " ").replace(/;\s*$/, "").trim()

const triggerName = (statement: string) => /CREATE TRIGGER (\w+)/i.exec(statement)?.[1] ?? statement

export interface FtsIndexFindings {
  readonly problems: ReadonlyArray<string>
}

/** The SQLite FTS triggers and index, compared with what the schema migration installs. */
export const inspectSqliteFts = (sql: SqlClient.SqlClient): Effect.Effect<FtsIndexFindings, SqlError.SqlError> =>
  Effect.gen(function* () {
    const problems: Array<string> = []
    const triggers = yield* sql<{ name: string; sql: string | null }>`SELECT name, sql FROM sqlite_master
      WHERE type = 'trigger' AND tbl_name = 'messages'`
    const installed = new Map(triggers.map((t) => [t.name, normaliseSql(t.sql ?? "")]))
    for (const statement of ftsTriggersSql) {
      const name = triggerName(statement)
      const actual = installed.get(name)
      if (actual === undefined) problems.push(`sqlite: trigger ${name} is missing: new messages are not indexed`)
      else if (actual !== normaliseSql(statement)) {
        problems.push(`sqlite: trigger ${name} is not the 'delete'-command form: updates and deletes leave stale terms`)
      }
    }
    // Looked up first: the SQLite client caches a statement that failed to prepare (for 10 minutes), so an
    // integrity-check prepared while the table was missing would fail again after repair recreated it.
    const table = yield* sql`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'messages_fts'`
    const integrity =
      table.length === 0
        ? undefined
        : yield* Effect.either(sql.unsafe(`INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)`))
    if (integrity === undefined) {
      problems.push("sqlite: the FTS5 table messages_fts is missing: nothing can be searched")
    } else if (integrity._tag === "Left") {
      const cause = integrity.left.cause
      problems.push(
        `sqlite: FTS5 integrity-check failed (${cause instanceof Error ? cause.message : integrity.left.message}): ` +
          `the index is out of step with messages`
      )
    }
    return { problems }
  })

export interface WordComparison {
  readonly word: string
  readonly sqlite: number
  readonly postgres: number
  /** Ids found on one side only, with no explanation: the search results really differ. */
  readonly onlySqlite: ReadonlyArray<string>
  readonly onlyPostgres: ReadonlyArray<string>
  /** Ids found on one side only for a known reason (a recorded reject, text the migration sanitized). */
  readonly explained: ReadonlyArray<{ readonly id: string; readonly reason: string }>
}

/** Differing ids looked up for an explanation, per word; the rest count as unexplained. */
const explainLimit = 50

const ids = (store: Store, word: string) =>
  Effect.map(store.queryMessages({ searchText: word, limit: searchLimit }), (rows) => rows.map((r) => r.id))

const holdsNul = (text: string | null) => text !== null && hasNul(text)

/**
 * Why a message is found on one side only, when the reason is known: it was rejected by the migration, or its
 * SQLite text holds U+0000, which the migration removes (PostgreSQL cannot store it), joining the words around it
 * into one token on PostgreSQL where FTS5 sees two.
 */
const explain = (db: Databases, rejects: RecordedRejects, id: string): Effect.Effect<string | undefined, StoreError> =>
  Effect.gen(function* () {
    const rejected = rejects.reasonOf("messages", id)
    if (rejected !== undefined) return `recorded reject: ${rejected}`
    const row = yield* db.sqliteStore.getMessageById(id)
    if (Option.isSome(row) && [row.value.message_content, row.value.tool_name, row.value.username].some(holdsNul)) {
      return "its SQLite text holds U+0000, removed by the migration, which joins the words around it"
    }
    return undefined
  })

export const compareSearches = (
  db: Databases,
  words: ReadonlyArray<string>,
  rejects: RecordedRejects
): Effect.Effect<ReadonlyArray<WordComparison>, StoreError> =>
  Effect.forEach(words, (word) =>
    Effect.gen(function* () {
      const s = yield* ids(db.sqliteStore, word)
      const p = yield* ids(db.postgresStore, word)
      const pSet = new Set(p)
      const sSet = new Set(s)
      const explained: Array<{ id: string; reason: string }> = []
      const unexplained = (only: ReadonlyArray<string>) =>
        Effect.filter(only, (id, i) =>
          i >= explainLimit
            ? Effect.succeed(true)
            : Effect.map(explain(db, rejects, id), (reason) => {
                if (reason === undefined) return true
                explained.push({ id, reason })
                return false
              })
        )
      let onlySqlite = yield* unexplained(s.filter((id) => !pSet.has(id)))
      let onlyPostgres = yield* unexplained(p.filter((id) => !sSet.has(id)))
      if (s.length >= searchLimit || p.length >= searchLimit) {
        // Both sides return only the newest `searchLimit` matches: one explained id inside a window shifts its edge,
        // so compare the windows without the explained ids, cut to the shorter one.
        const known = new Set(explained.map((e) => e.id))
        const sKept = s.filter((id) => !known.has(id))
        const pKept = p.filter((id) => !known.has(id))
        const n = Math.min(sKept.length, pKept.length)
        const sWindow = new Set(sKept.slice(0, n))
        const pWindow = new Set(pKept.slice(0, n))
        onlySqlite = [...sWindow].filter((id) => !pWindow.has(id))
        onlyPostgres = [...pWindow].filter((id) => !sWindow.has(id))
      }
      return { word, sqlite: s.length, postgres: p.length, onlySqlite, onlyPostgres, explained }
    })
  )

export const searchCheck = (
  fts: FtsIndexFindings,
  comparisons: ReadonlyArray<WordComparison>,
  sampleKeys: number
): CheckResult => {
  const mismatched = comparisons.filter((c) => c.onlySqlite.length > 0 || c.onlyPostgres.length > 0)
  const explained = comparisons.filter((c) => c.explained.length > 0)
  const matches = comparisons.reduce((n, c) => n + c.sqlite, 0)
  const problems = [
    ...fts.problems,
    ...mismatched.map(
      (c) =>
        `"${c.word}": ${c.sqlite} id(s) on sqlite, ${c.postgres} on postgres` +
        (c.onlySqlite.length > 0 ? `; only on sqlite: ${c.onlySqlite.slice(0, sampleKeys).join(", ")}` : "") +
        (c.onlyPostgres.length > 0 ? `; only on postgres: ${c.onlyPostgres.slice(0, sampleKeys).join(", ")}` : "")
    )
  ]
  const notes = explained.flatMap((c) =>
    c.explained.slice(0, sampleKeys).map((e) => `"${c.word}" finds ${e.id} on one side only (explained: ${e.reason})`)
  )
  const same = comparisons.length - mismatched.length - explained.filter((c) => !mismatched.includes(c)).length
  const searched =
    comparisons.length === 0
      ? "no words to sample (no messages)"
      : `${same}/${comparisons.length} sampled words return the same ids ` +
        `(${comparisons.map((c) => `"${c.word}"`).join(", ")}; ${matches} ids compared)` +
        (explained.length > 0 ? `, ${explained.length} differ for known reasons` : "")
  const index =
    fts.problems.length === 0 ? "SQLite FTS triggers and index intact" : `${fts.problems.length} SQLite FTS problem(s)`
  const status = problems.length > 0 ? "fail" : notes.length > 0 ? "warn" : "pass"
  return check("full-text-search", status, `${searched}; ${index}`, [...problems, ...notes], { fts, comparisons })
}
