import { describe, expect, it } from "@effect/vitest"
import { decodeCell, encodeCell } from "../../src/programs/data/CellEncoding.js"
import {
  type ConversionCounts,
  conversionRules,
  convertCell,
  Mismatch,
  restoreCell,
  type SqliteCell
} from "../../src/programs/data/ConversionRules.js"
import { copyLine } from "../../src/programs/data/CopyText.js"
import type { ColumnKind } from "../../src/runtime/domain/Column.js"

const convert = (kind: ColumnKind, value: SqliteCell) => {
  const counts: ConversionCounts = { sanitized: 0, invalidJson: 0 }
  const result = convertCell(kind, value, counts)
  return { result, counts }
}

const reasonOf = (kind: ColumnKind, value: SqliteCell) => {
  const { result } = convert(kind, value)
  expect(result).toBeInstanceOf(Mismatch)
  return (result as Mismatch).reason
}

describe("conversion rules", () => {
  it("has one rule per column kind, each naming its PostgreSQL type", () => {
    expect(Object.keys(conversionRules).sort()).toEqual(
      ["boolean", "epochMillis", "epochSeconds", "integer", "json", "real", "text"].sort()
    )
    expect(conversionRules.json.postgres).toBe("JSONB")
    expect(conversionRules.boolean.postgres).toBe("BOOLEAN")
  })

  it("keeps NULL as NULL in every kind", () => {
    for (const kind of Object.keys(conversionRules) as Array<ColumnKind>) expect(convert(kind, null).result).toBeNull()
  })

  it("converts integers exactly, including beyond 2^53", () => {
    expect(convert("integer", 42n).result).toBe("42")
    expect(convert("epochMillis", 1_700_000_123_456n).result).toBe("1700000123456")
    expect(convert("integer", 9007199254740993n).result).toBe("9007199254740993")
    expect(convert("epochSeconds", -5).result).toBe("-5")
  })

  it("keeps a REAL in an INTEGER column exactly (NUMERIC), and restores the same cell from its text", () => {
    for (const [cell, text] of [
      [24.5, "24.5"],
      [72.5, "72.5"],
      [-0.125, "-0.125"],
      [1e-7, "1e-7"],
      [1e20, "1e+20"],
      [Infinity, "Infinity"]
    ] as const) {
      expect(convert("integer", cell).result).toBe(text)
      expect(restoreCell("integer", text)).toBe(cell)
    }
    expect(restoreCell("integer", "80")).toBe(80)
    expect(restoreCell("integer", "9007199254740993")).toBe(9007199254740993n)
    expect(reasonOf("integer", -0)).toBe("REAL -0 in an INTEGER column: NUMERIC has no negative zero")
  })

  it("reports a REAL or TEXT in a time or integer column instead of changing it", () => {
    expect(reasonOf("epochSeconds", 1_700_000_000.5)).toBe("REAL 1700000000.5 in an epoch seconds (BIGINT) column")
    expect(reasonOf("integer", "")).toBe('TEXT "" in an INTEGER column')
    expect(reasonOf("integer", "80")).toBe('TEXT "80" in an INTEGER column')
    expect(reasonOf("epochMillis", 1e20)).toBe("INTEGER 100000000000000000000 in an epoch milliseconds (BIGINT) column")
    expect(reasonOf("real", "n/a")).toBe('TEXT "n/a" in a REAL column')
    expect(reasonOf("text", new Uint8Array([1, 2]))).toBe("BLOB (2 bytes) in a TEXT column")
  })

  it("keeps reals exactly, infinities included", () => {
    expect(convert("real", 0.1).result).toBe("0.1")
    expect(convert("real", 1.7976931348623157e308).result).toBe("1.7976931348623157e+308")
    expect(convert("real", Infinity).result).toBe("Infinity")
    expect(convert("real", -0).result).toBe("-0")
  })

  it("maps 0/1 to booleans and rejects any other integer", () => {
    expect(convert("boolean", 0n).result).toBe("f")
    expect(convert("boolean", 1n).result).toBe("t")
    expect(convert("boolean", 1).result).toBe("t")
    expect(reasonOf("boolean", 2n)).toBe("INTEGER 2 in a boolean (0/1) column")
  })

  it("passes valid JSON text through unchanged, so JSONB parses exactly what SQLite held", () => {
    const text = '{"b":1,"a":[1.50,"x"],"big":12345678901234567890}'
    const { result, counts } = convert("json", text)
    expect(result).toBe(text)
    expect(counts).toEqual({ sanitized: 0, invalidJson: 0 })
  })

  it("keeps invalid JSON as a JSONB string of the original text, and counts it", () => {
    const { result, counts } = convert("json", "15 rows: fact, street")
    expect(result).toBe('"15 rows: fact, street"')
    expect(JSON.parse(result as string)).toBe("15 rows: fact, street")
    expect(counts).toEqual({ sanitized: 0, invalidJson: 1 })
  })

  it("removes U+0000 from text and from JSON strings and keys, and counts each value once", () => {
    const text = convert("text", "a\u0000b\u0000c")
    expect(text.result).toBe("abc")
    expect(text.counts.sanitized).toBe(1)
    const json = convert("json", '{"k\\u0000":"v\\u0000w","n":1}')
    expect(JSON.parse(json.result as string)).toEqual({ k: "vw", n: 1 })
    expect(json.counts).toEqual({ sanitized: 1, invalidJson: 0 })
    // An escaped backslash followed by "u0000" is not a NUL: the text stays as it was.
    expect(convert("json", '"\\\\u0000"').result).toBe('"\\\\u0000"')
    const invalid = convert("json", "free\u0000text")
    expect(invalid.result).toBe('"freetext"')
    expect(invalid.counts).toEqual({ sanitized: 1, invalidJson: 1 })
  })
})

/** A cell as a reader of the failure wants it: `String(-0)` is "0", which would hide the very difference. */
const show = (value: unknown) => (Object.is(value, -0) ? "-0" : typeof value === "bigint" ? `${value}n` : String(value))

describe("export cell encoding", () => {
  it("round-trips every SQLite value losslessly through JSON", () => {
    const cells: ReadonlyArray<SqliteCell> = [
      null,
      "text \t\n\\ \u0000 日本語 🎉",
      0,
      -12,
      0.1,
      1_700_000_000.5,
      9007199254740993n,
      Infinity,
      -Infinity,
      -0,
      NaN,
      new Uint8Array([0, 255, 7])
    ]
    for (const cell of cells) {
      const back = decodeCell(JSON.parse(encodeCell(cell)))
      if (cell instanceof Uint8Array) expect(Array.from(back as Uint8Array)).toEqual(Array.from(cell))
      // Object.is, not ===: -0 coming back as 0 (or NaN as anything) is a lost value and must fail.
      else expect(Object.is(back, cell), `${show(cell)} came back as ${show(back)}`).toBe(true)
    }
    expect(decodeCell(JSON.parse(encodeCell(12n)))).toBe(12)
    expect(decodeCell({ $other: "x" })).toBeUndefined()
    expect(decodeCell(true)).toBeUndefined()
  })
})

describe("COPY text encoding", () => {
  it("escapes the characters that would split a field or a row, and writes NULL as \\N", () => {
    expect(copyLine(["a\tb", "c\nd", "e\\f", "g\rh", null, ""])).toBe("a\\tb\tc\\nd\te\\\\f\tg\\rh\t\\N\t\n")
  })
})
