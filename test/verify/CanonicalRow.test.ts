/** The canonical row form: a row read from SQLite and the same row migrated to PostgreSQL compare equal. */
import { describe, expect, it } from "@effect/vitest"
import { documentsTable, messagesTable, queriesTable } from "../../src/runtime/domain/Tables.js"
import { canonicalValue, differingColumns, rowChecksum } from "../../src/programs/verify/CanonicalRow.js"
import { compareKeys } from "../../src/programs/verify/KeyOrder.js"

const sqliteMessage = {
  id: "m-1",
  timestamp: 1_700_000_000_000,
  sender_type: "human",
  message_content: "nul\u0000inside",
  metadata: '{"b":1,"a":{"y":[1,2.5,null],"x":true},"s":"zero\\u0000byte"}',
  tool_args: "not json at all",
  created_at: 1_700_000_000
}
const postgresMessage = {
  id: "m-1",
  timestamp: "1700000000000",
  sender_type: "human",
  message_content: "nulinside",
  metadata: { a: { x: true, y: [1, 2.5, null] }, b: 1, s: "zerobyte" },
  tool_args: "not json at all",
  created_at: 1_700_000_000
}

describe("canonical rows", () => {
  it("match across backends: JSON key order, U+0000, invalid JSON, BIGINT text, missing columns", () => {
    expect(rowChecksum(messagesTable, sqliteMessage, "sqlite")).toBe(
      rowChecksum(messagesTable, postgresMessage, "postgres")
    )
    expect(differingColumns(messagesTable, sqliteMessage, postgresMessage)).toEqual([])
  })

  it("tell real differences apart and name the columns", () => {
    const changed = { ...postgresMessage, metadata: { ...postgresMessage.metadata, b: 2 }, sender_type: "ai" }
    expect(rowChecksum(messagesTable, sqliteMessage, "sqlite")).not.toBe(
      rowChecksum(messagesTable, changed, "postgres")
    )
    expect(differingColumns(messagesTable, sqliteMessage, changed)).toEqual(["sender_type", "metadata"])
  })

  it("decode booleans from 0/1 only, keeping any other stored number different", () => {
    expect(canonicalValue("boolean", 1, "sqlite")).toBe(true)
    expect(canonicalValue("boolean", 0, "sqlite")).toBe(false)
    expect(canonicalValue("boolean", true, "postgres")).toBe(true)
    expect(canonicalValue("boolean", 2, "sqlite")).toBe(2)
    expect(canonicalValue("boolean", null, "sqlite")).toBe(null)
    const doc = { id: "d", title: "t", content: "", created_by: "u", is_public: 1 }
    expect(rowChecksum(documentsTable, doc, "sqlite")).toBe(
      rowChecksum(documentsTable, { ...doc, is_public: true }, "postgres")
    )
    expect(rowChecksum(documentsTable, doc, "sqlite")).not.toBe(
      rowChecksum(documentsTable, { ...doc, is_public: false }, "postgres")
    )
  })

  it("keep text in a numeric column as text, so '' never equals NULL or 0", () => {
    expect(canonicalValue("integer", "", "sqlite")).toBe("")
    expect(canonicalValue("integer", "42", "postgres")).toBe(42)
    expect(canonicalValue("real", -0, "sqlite")).toBe(0)
    const q = { id: "q", timestamp: 1, user_id: "u", username: "n", query_text: "x" }
    expect(rowChecksum(queriesTable, { ...q, result_count: "" }, "sqlite")).not.toBe(
      rowChecksum(queriesTable, { ...q, result_count: null }, "postgres")
    )
  })

  it("write numbers JSON cannot hold distinctly, and keep a __proto__ key as a key", () => {
    const base = { id: "u", user_id: "u", username: "n", first_seen_at: 1, last_interaction_at: 1 }
    const a = rowChecksum(messagesTable, { ...base, timestamp: Infinity }, "postgres")
    const b = rowChecksum(messagesTable, { ...base, timestamp: null }, "postgres")
    expect(a).not.toBe(b)
    expect(canonicalValue("json", '{"__proto__":{"x":1}}', "sqlite")).toEqual(JSON.parse('{"__proto__":{"x":1}}'))
    expect(canonicalValue("json", '{"__proto__":1}', "sqlite")).not.toEqual(canonicalValue("json", "{}", "sqlite"))
  })
})

describe("key order", () => {
  it("is UTF-8 byte order, as SQLite's BINARY and PostgreSQL's COLLATE \"C\" sort keys", () => {
    const keys = ["a", "B", "é", "\uffff", "😀", "\ue000", "ab", "a\u0001", "", "Z9", "日本"]
    const byBytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)))
    expect([...keys].sort(compareKeys)).toEqual(byBytes)
    // JavaScript's own order differs exactly here: it would put the emoji before U+E000.
    expect([...keys].sort()).not.toEqual(byBytes)
  })
})
