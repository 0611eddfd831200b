/** How copy splits a table into rowid ranges for parallel streams: disjoint, covering, about equal. */
import { describe, expect, it } from "@effect/vitest"
import { splitRowids } from "../../src/programs/data/SqliteSource.js"

const min = -(2n ** 63n)
const max = 2n ** 63n - 1n

/** Which range each rowid in [first, last] falls in; fails when one is in none or in two. */
const owners = (ranges: ReturnType<typeof splitRowids>, first: number, last: number) => {
  const count = ranges.map(() => 0)
  for (let rowid = BigInt(first); rowid <= BigInt(last); rowid++) {
    const hits = ranges.flatMap((r, i) => (r.after < rowid && rowid <= r.upTo ? [i] : []))
    expect(hits).toHaveLength(1)
    count[hits[0]!]!++
  }
  return count
}

describe("splitRowids", () => {
  it("splits into equal spans whose union is every rowid, with open outer bounds", () => {
    const ranges = splitRowids(1n, 1000n, 3)
    expect(ranges).toHaveLength(3)
    expect(ranges[0]!.after).toBe(min)
    expect(ranges[2]!.upTo).toBe(max)
    expect(owners(ranges, 1, 1000)).toEqual([333, 333, 334])
    // Rows added after the split (no snapshot) still land in the last range.
    expect(ranges[2]!.after < 5000n && 5000n <= ranges[2]!.upTo).toBe(true)
  })

  it("handles negative and sparse rowids", () => {
    const ranges = splitRowids(-50n, 49n, 4)
    expect(owners(ranges, -50, 49)).toEqual([25, 25, 25, 25])
  })

  it("keeps one range when asked for one part or when there are fewer rowids than parts", () => {
    expect(splitRowids(1n, 1000n, 1)).toEqual([{ after: min, upTo: max }])
    expect(splitRowids(7n, 8n, 5)).toEqual([{ after: min, upTo: max }])
  })
})
