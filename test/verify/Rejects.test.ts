/** The rejects file format: what a load writes, verify and repair read back, through the one Schema. */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { decodeRejectLine, MalformedReject } from "../../src/programs/data/RejectRecord.js"
import { rejectLine } from "../../src/programs/data/RejectsFile.js"
import { readRejects } from "../../src/programs/verify/Rejects.js"
import { messagesTable, queriesTable } from "../../src/runtime/domain/Tables.js"
import { tempDir } from "../support/TestDatabases.js"

const queryRow = (cells: Readonly<Record<string, unknown>>) =>
  Object.keys(queriesTable.columns).map((c) => (cells[c] ?? null) as never)

describe("rejects file", () => {
  it.effect("decodes what a load writes, every cell as it was", () =>
    Effect.gen(function* () {
      const blob = new Uint8Array([0, 255])
      const line = rejectLine(queriesTable, {
        kind: "mismatch",
        row: queryRow({ id: "q-1", timestamp: 9007199254740993n, query_text: "a\u0000b", result_count: blob }),
        reason: "BLOB (2 bytes) in an INTEGER column",
        column: "result_count",
        value: blob
      })
      expect(line.endsWith("\n")).toBe(true)
      const record = yield* decodeRejectLine("r.jsonl", 1, line.trimEnd())
      expect(record).toMatchObject({ table: "queries", key: "q-1", kind: "mismatch", column: "result_count" })
      expect(record.value).toEqual(blob)
      expect(record.row["timestamp"]).toBe(9007199254740993n)
      expect(record.row["query_text"]).toBe("a\u0000b")
      expect(record.row["username"]).toBeNull()
    })
  )

  it.effect("keeps the line's field order, so the file reads the same as before the Schema", () =>
    Effect.sync(() => {
      const line = rejectLine(messagesTable, {
        kind: "orphan",
        row: Object.keys(messagesTable.columns).map((c) => (c === "id" ? "m-1" : c === "timestamp" ? -0 : null)),
        reason: "no parent"
      })
      expect(Object.keys(JSON.parse(line))).toEqual(["table", "key", "kind", "reason", "row"])
      expect(line).toContain(`"timestamp":{"$real":"-0"}`)
    })
  )

  it.scoped("fails on a line that is not a record, naming the file and the line", () =>
    Effect.gen(function* () {
      const file = path.join(yield* tempDir, "rejects.jsonl")
      const good = rejectLine(queriesTable, { kind: "postgres", row: queryRow({ id: "q-1" }), reason: "refused" })
      fs.writeFileSync(file, `${good}\n{"table":"queries","key":"q-2","kind":"mismatch"}\n`)
      const exit = yield* Effect.exit(readRejects(file))
      expect(exit).toStrictEqual(
        Exit.fail(
          new MalformedReject({
            file,
            line: 3,
            problem: "reason: is missing; row: is missing"
          })
        )
      )
      if (Exit.isFailure(exit)) expect(String(exit.cause)).toContain(`${file}:3 is not a reject record`)
      const notJson = yield* Effect.flip(decodeRejectLine(file, 7, "{oops"))
      expect(notJson.message).toMatch(new RegExp(`^${file}:7 is not a reject record: `))
    })
  )
})
