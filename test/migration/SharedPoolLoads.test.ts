/**
 * Two loads sharing one pool, each wanting more connections than half of it: a load takes all of a table's
 * connections in one step (ConnectionBudget.ts), so neither can hold one while waiting for another the other
 * holds. Taken one at a time, each would hold one of the two and wait forever for the second.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { join } from "node:path"
import { copyData } from "../../src/programs/data/CopyData.js"
import { copyLayers, countRows, dump, freshPostgres, legacyDatabase } from "./support/Fixtures.js"

describe("loads sharing a pool", () => {
  it.scopedLive(
    "two copies in two streams each on a pool of two connections both finish, with the data of one copy",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 4000 })
        const reference = yield* freshPostgres
        const shared = yield* freshPostgres
        const settings = { deferIndexes: false, streams: 2, jobs: 1, minRowsPerStream: 1 }
        yield* copyData({ ...settings, rejectsPath: join(legacy.dir, "r0.jsonl") }).pipe(
          Effect.provide(copyLayers(legacy.path, reference))
        )

        // One pool of two connections, shared by both copies.
        const databases = yield* Layer.build(copyLayers(legacy.path, { ...shared, poolSize: 2 }))
        const copyOf = (tables: ReadonlyArray<string>, rejects: string) =>
          copyData({ ...settings, tables, rejectsPath: join(legacy.dir, rejects) }).pipe(Effect.provide(databases))
        const [messages, queries] = yield* Effect.all(
          [copyOf(["messages"], "r1.jsonl"), copyOf(["queries"], "r2.jsonl")],
          { concurrency: 2 }
        ).pipe(Effect.timeout("60 seconds"))
        expect(messages.tables[0]!.streams).toBe(2)
        expect(queries.tables[0]!.streams).toBe(2)
        expect(yield* countRows(shared.plainUrl, "messages")).toBe(yield* countRows(reference.plainUrl, "messages"))
        const [mine, theirs] = [yield* dump(shared.plainUrl), yield* dump(reference.plainUrl)]
        for (const table of ["messages", "queries"] as const) expect(mine[table]).toEqual(theirs[table])
      }),
    120_000
  )
})
