/** verify against two real databases: it passes when they agree, and each check fails when it should. */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { queriesTable } from "../../src/runtime/domain/Tables.js"
import { rejectLine } from "../../src/programs/data/RejectsFile.js"
import { renderVerifyText } from "../../src/programs/verify/RenderVerifyReport.js"
import { verify } from "../../src/programs/verify/Verify.js"
import { failureRateCheck } from "../../src/programs/verify/checks/ShadowChecks.js"
import { parseShadowMetrics } from "../../src/programs/verify/ShadowMetricsFile.js"
import { tempDir } from "../support/TestDatabases.js"
import {
  checkOf,
  freshDatabases,
  plantSqliteOrphan,
  rawSql,
  seedBoth,
  statuses,
  testOptions,
  plantLegacyFtsBug
} from "./Fixtures.js"

describe("verify", () => {
  it.live("passes on identical databases, every check with its figure", () =>
    Effect.gen(function* () {
      yield* seedBoth
      const report = yield* verify(testOptions)
      expect(statuses(report)).toEqual({
        schema: "pass",
        "row-counts": "pass",
        content: "pass",
        "shadow-outbox": "pass",
        "shadow-dead-letters": "pass",
        "shadow-failure-rate": "skip",
        "read-latency": "pass",
        "full-text-search": "pass",
        jsonb: "pass",
        "foreign-keys": "pass",
        "query-plans": "pass",
        tallies: "pass"
      })
      expect(report.ok).toBe(true)
      expect(checkOf(report, "content").figure).toContain("19 keys compared: 0 missing on postgres")
      expect(checkOf(report, "row-counts").figure).toBe("6/6 tables match; 19 rows (sqlite), 19 rows (postgres)")
      expect(checkOf(report, "query-plans").figure).toMatch(/^(\d+)\/\1 reads on an index that serves them$/)
      expect(checkOf(report, "query-plans").details.join("\n")).toMatch(
        /a user's latest 100 messages: .*Index Scan on idx_messages_user_(sender_)?time/
      )
      expect(checkOf(report, "read-latency").figure).toMatch(
        /^p95 .* timeline \(\d+\), p95 .* count \(\d+\), p95 .* lookup \(\d+\), p95 .* search \(\d+\), p95 .* jsonb \(1\)/
      )
      expect(checkOf(report, "full-text-search").figure).toContain("3/3 sampled words return the same ids")
      const text = renderVerifyText(report)
      expect(text).toContain("[PASS] Content matches")
      expect(text).toContain("verify PASSED")
    }).pipe(Effect.provide(freshDatabases()))
  )

  it.live("names a changed row and the column that differs", () =>
    Effect.gen(function* () {
      yield* seedBoth
      yield* rawSql("postgres", "UPDATE messages SET message_content = 'tampered' WHERE id = 'm-05'")
      const report = yield* verify(testOptions)
      expect(report.ok).toBe(false)
      const content = checkOf(report, "content")
      expect(content.status).toBe("fail")
      expect(content.figure).toContain("1 different")
      expect(content.details).toContain("messages: different: m-05 [message_content]")
      expect(checkOf(report, "row-counts").status).toBe("pass")
      expect(renderVerifyText(report)).toContain("verify FAILED")
    }).pipe(Effect.provide(freshDatabases()))
  )

  it.live("names a missing row in the counts and the content", () =>
    Effect.gen(function* () {
      yield* seedBoth
      yield* rawSql("postgres", "DELETE FROM queries WHERE id = 'q-2'")
      const report = yield* verify(testOptions)
      expect(checkOf(report, "row-counts").status).toBe("fail")
      expect(checkOf(report, "row-counts").details).toEqual(["queries: sqlite 2 ≠ postgres 1"])
      expect(checkOf(report, "content").details).toEqual(["queries: missing on postgres: q-2"])
    }).pipe(Effect.provide(freshDatabases()))
  )

  it.live("detects the legacy FTS trigger and the stale index it leaves", () =>
    Effect.gen(function* () {
      yield* seedBoth
      yield* plantLegacyFtsBug
      const report = yield* verify(testOptions)
      expect(checkOf(report, "content").status).toBe("pass")
      const search = checkOf(report, "full-text-search")
      expect(search.status).toBe("fail")
      expect(search.details.join("\n")).toContain("trigger messages_fts_update is not the 'delete'-command form")
      expect(search.details.join("\n")).toContain("FTS5 integrity-check failed")
    }).pipe(Effect.provide(freshDatabases()))
  )

  it.live("fails on a SQLite orphan not recorded as a reject, naming it", () =>
    Effect.gen(function* () {
      yield* seedBoth
      yield* plantSqliteOrphan
      const report = yield* verify(testOptions)
      const fk = checkOf(report, "foreign-keys")
      expect(fk.status).toBe("fail")
      expect(fk.figure).toContain("0 orphan(s) on postgres, 1 on sqlite")
      expect(fk.details.join("\n")).toContain("dc-orphan")
      expect(checkOf(report, "content").details).toEqual(["document_collaborators: missing on postgres: dc-orphan"])
    }).pipe(Effect.provide(freshDatabases()))
  )

  it.live("fails on a PostgreSQL table without its foreign key, and on its orphans", () =>
    Effect.gen(function* () {
      yield* seedBoth
      yield* rawSql(
        "postgres",
        `DO $$ DECLARE c text; BEGIN
           SELECT conname INTO c FROM pg_constraint WHERE conrelid = 'user_analysis_history'::regclass AND contype = 'f';
           EXECUTE format('ALTER TABLE user_analysis_history DROP CONSTRAINT %I', c);
         END $$`
      )
      yield* rawSql(
        "postgres",
        "INSERT INTO user_analysis_history (id, user_id, analysis_timestamp) VALUES ('h-orphan', 'u-nobody', 1)"
      )
      const fk = checkOf(yield* verify(testOptions), "foreign-keys")
      expect(fk.status).toBe("fail")
      expect(fk.details).toContain("postgres: user_analysis_history has no FOREIGN KEY constraint")
      expect(fk.details.join("\n")).toContain(
        "postgres: 1 user_analysis_history row(s) without their user_profiles row: h-orphan"
      )
    }).pipe(Effect.provide(freshDatabases()))
  )

  it.live("fails on pending migrations and missing columns", () =>
    Effect.gen(function* () {
      yield* seedBoth
      yield* rawSql("postgres", "DELETE FROM effect_sql_migrations WHERE migration_id = 2")
      yield* rawSql("postgres", "ALTER TABLE user_profiles DROP COLUMN zodiac_sign")
      const schema = checkOf(yield* verify(testOptions), "schema")
      expect(schema.status).toBe("fail")
      expect(schema.figure).toContain("migrations 7/7 (sqlite), 9/10 (postgres)")
      expect(schema.details).toEqual([
        "postgres: user_profiles lacks column(s) zodiac_sign",
        "postgres: migration 2_shadow_journal is pending"
      ])
    }).pipe(Effect.provide(freshDatabases()))
  )

  it.live("fails the query plans when the search index is gone, and latency over the target", () =>
    Effect.gen(function* () {
      yield* seedBoth
      yield* rawSql("postgres", "DROP INDEX idx_messages_fts")
      const report = yield* verify({ ...testOptions, latencyThresholdMs: 0 })
      const plans = checkOf(report, "query-plans")
      expect(plans.status).toBe("fail")
      expect(plans.details.join("\n")).toMatch(/search a word, latest 100: .* cannot use idx_messages_fts/)
      const latency = checkOf(report, "read-latency")
      expect(latency.status).toBe("fail")
      expect(latency.figure).toContain("target < 0 ms")
    }).pipe(Effect.provide(freshDatabases()))
  )

  it.live("fails JSONB lookups that disagree between the databases", () =>
    Effect.gen(function* () {
      yield* seedBoth
      // Every message has topic "general": whichever value is sampled, m-03 is found on one side only.
      yield* rawSql(
        "postgres",
        `UPDATE messages SET metadata = jsonb_set(metadata, '{topic}', '"changed"') WHERE id = 'm-03'`
      )
      const jsonb = checkOf(yield* verify(testOptions), "jsonb")
      expect(jsonb.status).toBe("fail")
      expect(jsonb.details.join("\n")).toMatch(/only on (sqlite \(json_extract\)|postgres): m-03/)
    }).pipe(Effect.provide(freshDatabases()))
  )

  it.live(
    "compares a migrated legacy row as equal: U+0000 removed, invalid JSON kept as a string, 0/1, key order",
    () =>
      Effect.gen(function* () {
        yield* seedBoth
        yield* rawSql(
          "sqlite",
          `INSERT INTO messages (id, timestamp, sender_type, message_content, metadata, tool_args, created_at)
         VALUES ('m-legacy', 1600000000000, 'human', 'nul' || char(0) || 'byte', '{"b":1,"a":[true,null]}', 'free text', 1600000000)`
        )
        yield* rawSql(
          "postgres",
          `INSERT INTO messages (id, timestamp, sender_type, message_content, metadata, tool_args, created_at)
         VALUES ('m-legacy', 1600000000000, 'human', 'nulbyte', '{"a":[true,null],"b":1}', '"free text"', 1600000000)`
        )
        yield* rawSql(
          "sqlite",
          "INSERT INTO documents (id, title, content, created_by, is_public, created_at, updated_at) VALUES ('d-legacy', 't', '', 'u', 1, 5, 6)"
        )
        yield* rawSql(
          "postgres",
          "INSERT INTO documents (id, title, content, created_by, is_public, created_at, updated_at) VALUES ('d-legacy', 't', '', 'u', TRUE, 5, 6)"
        )
        const report = yield* verify({ ...testOptions, searchWords: ["byte"] })
        expect(statuses(report)).toMatchObject({ "row-counts": "pass", content: "pass" })
        // FTS5 reads "nul" and "byte" where PostgreSQL reads "nulbyte": a known consequence, shown, not failed.
        const search = checkOf(report, "full-text-search")
        expect(search.status).toBe("warn")
        expect(search.details).toEqual([
          `"byte" finds m-legacy on one side only (explained: its SQLite text holds U+0000, removed by the migration, which joins the words around it)`
        ])
      }).pipe(Effect.provide(freshDatabases()))
  )

  it.scopedLive("lists the copy's recorded rejects as explained differences, not hidden and not failing", () =>
    Effect.gen(function* () {
      yield* seedBoth
      yield* rawSql(
        "sqlite",
        "INSERT INTO queries (id, timestamp, user_id, username, query_text, result_count, created_at) VALUES ('q-3', 1, 'u', 'n', 'x', '', 1)"
      )
      const row = Object.keys(queriesTable.columns).map((c) =>
        c === "id" ? "q-3" : c === "result_count" ? "" : c === "timestamp" ? 1 : c === "query_text" ? "x" : null
      )
      const file = path.join(yield* tempDir, "rejects.jsonl")
      fs.writeFileSync(
        file,
        rejectLine(queriesTable, {
          kind: "mismatch",
          row,
          reason: `TEXT "" in an INTEGER column`,
          column: "result_count",
          value: ""
        })
      )
      const report = yield* verify({ ...testOptions, rejectsPath: file })
      expect(report.ok).toBe(true)
      const counts = checkOf(report, "row-counts")
      expect(counts.status).toBe("warn")
      expect(counts.details).toEqual([
        "queries: sqlite 3 ≠ postgres 2 (explained by recorded rejects); 1 recorded reject(s): q-3"
      ])
      const content = checkOf(report, "content")
      expect(content.status).toBe("warn")
      expect(content.figure).toContain("1 missing on postgres")
      expect(content.figure).toContain("(1 explained by recorded rejects)")
      expect(content.details).toEqual([`queries: explained by recorded rejects: q-3 (TEXT "" in an INTEGER column)`])
    }).pipe(Effect.provide(freshDatabases()))
  )

  it("judges the shadow failure rate from a metrics snapshot, and says when it has none", () => {
    expect(failureRateCheck({ writes: 200, failures: 4, source: "health.json" }, 0.01)).toMatchObject({
      status: "fail",
      figure: "2.00% (4 failed of 200 shadow writes, from health.json; target < 1.00%)"
    })
    expect(failureRateCheck({ writes: 1000, failures: 1, source: "health.json" }, 0.01).status).toBe("pass")
    // The bot's health snapshot: dead-lettered writes ("journaled", as older snapshots name them) missed the shadow.
    const fromBot = parseShadowMetrics(
      { enabled: true, succeeded: 990, journaled: 8, unjournaled: 2, failed: 3 },
      "bot"
    )
    expect(fromBot).toEqual({ writes: 1000, failures: 10, source: "bot" })
    expect(failureRateCheck(fromBot, 0.01).status).toBe("fail")
    expect(parseShadowMetrics({ something: "else" }, "x")).toBeUndefined()
    const unmeasured = failureRateCheck(undefined, 0.01)
    expect(unmeasured.status).toBe("skip")
    expect(unmeasured.figure).toMatch(/^not measured/)
  })
})
