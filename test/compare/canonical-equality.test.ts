import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import { canonicalEquals, firstDifference, sortedById } from "../../src/runtime/compare/CanonicalEquality.js"

describe("canonical equality of read results", () => {
  it("objects compare by keys and values, not key order, at any depth", () => {
    expect(
      canonicalEquals(
        { b: 1, a: { y: [1, { q: 2, p: 1 }], x: null } },
        { a: { x: null, y: [1, { p: 1, q: 2 }] }, b: 1 }
      )
    ).toBe(true)
    expect(canonicalEquals({ a: 1 }, { a: 1, b: undefined })).toBe(true)
    expect(canonicalEquals({ a: null }, { a: undefined })).toBe(false)
    expect(canonicalEquals({ a: 1 }, { a: "1" })).toBe(false)
  })

  it("Options: none equals none, some compares its value", () => {
    expect(canonicalEquals(Option.none(), Option.none())).toBe(true)
    expect(canonicalEquals(Option.some({ id: "1", n: 2 }), Option.some({ n: 2, id: "1" }))).toBe(true)
    expect(canonicalEquals(Option.some({ id: "1" }), Option.none())).toBe(false)
    expect(canonicalEquals(Option.some(1), 1)).toBe(false)
  })

  it("arrays are ordered; numbers, booleans and NaN compare by value", () => {
    expect(canonicalEquals([1, 2], [2, 1])).toBe(false)
    expect(canonicalEquals([1, 2], [1, 2, 3])).toBe(false)
    expect(canonicalEquals(NaN, NaN)).toBe(true)
    expect(canonicalEquals(true, 1)).toBe(false)
    expect(canonicalEquals([], {})).toBe(false)
  })

  it("names the path of the first difference, with both values", () => {
    expect(
      firstDifference(
        Option.some([{ id: "a", meta: { tags: ["x", "y"] } }]),
        Option.some([{ id: "a", meta: { tags: ["x", "z"] } }])
      )
    ).toEqual(Option.some({ path: "$.some[0].meta.tags[1]", primary: "y", candidate: "z" }))
    expect(firstDifference([1], [1, 2])).toEqual(Option.some({ path: "$.length", primary: 1, candidate: 2 }))
    expect(firstDifference({ a: 1 }, { b: 1 })).toEqual(Option.some({ path: "$.a", primary: 1, candidate: undefined }))
  })

  it("sortedById puts a set-like list in a canonical order without touching the original", () => {
    const rows = [{ id: "b" }, { id: "B" }, { id: "a" }]
    expect(sortedById(rows).map((r) => r.id)).toEqual(["B", "a", "b"])
    expect(rows.map((r) => r.id)).toEqual(["b", "B", "a"])
    expect(sortedById(7)).toBe(7)
  })
})
