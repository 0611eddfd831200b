/**
 * A load with deferred indexes (the default) on a pool of ONE connection, on the real PostgreSQL: each table's
 * indexes are built while the next table loads, and both want the one connection. The connection timeout is made
 * far shorter than a table's load, so a wait in node-postgres' pool queue (where that timeout applies too) would
 * fail the load: the load must wait for the connection in its own budget instead (ConnectionBudget.ts), and end
 * exactly where a load on a full pool ends.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, FiberRef, HashMap, HashSet, Logger, LogLevel } from "effect"
import { join } from "node:path"
import { copyData } from "../../src/programs/data/CopyData.js"
import {
  copyLayers,
  deferredIndexRecords,
  dump,
  freshPostgres,
  indexDefinitions,
  legacyDatabase
} from "./support/Fixtures.js"

/** The tables whose deferred indexes the load reports built (its debug line "indexes built"). */
const withIndexBuildsRecorded = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const tables: Array<string> = []
    const logger = Logger.make<unknown, void>(({ annotations, message }) => {
      const text = (Array.isArray(message) ? message : [message]).map(String).join(" ")
      if (text === "indexes built") tables.push(String(HashMap.unsafeGet(annotations, "table")))
    })
    const value = yield* Effect.locallyWith(effect, FiberRef.currentLoggers, () => HashSet.make(logger)).pipe(
      Logger.withMinimumLogLevel(LogLevel.Debug)
    )
    return { value, tables }
  })

describe("a load on a pool of one connection", () => {
  it.scopedLive(
    "defers and rebuilds indexes on the one connection, with waits longer than the connection timeout",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 30_000, quirks: true })

        const full = yield* freshPostgres
        const reference = yield* copyData({ rejectsPath: join(legacy.dir, "full.jsonl") }).pipe(
          Effect.provide(copyLayers(legacy.path, full))
        )

        const single = { ...(yield* freshPostgres), poolSize: 1, connectTimeoutMs: 100 }
        const { value: summary, tables } = yield* withIndexBuildsRecorded(
          copyData({ rejectsPath: join(legacy.dir, "single.jsonl") })
        ).pipe(Effect.provide(copyLayers(legacy.path, single)))
        // Loading the messages table (and building its indexes) takes several times the timeout: whichever of it
        // and the next table waited for the other waited that long.
        const messages = summary.tables.find((t) => t.table === "messages")!
        expect(messages.seconds * 1000).toBeGreaterThan(3 * single.connectTimeoutMs)

        expect(summary.totals).toEqual(reference.totals)
        expect(yield* dump(single.plainUrl)).toEqual(yield* dump(full.plainUrl))
        // Indexes were really deferred (and built again): the same indexes as the schema made, no records left.
        expect(tables).toEqual(expect.arrayContaining(["messages", "queries", "documents"]))
        expect(yield* indexDefinitions(single.plainUrl)).toEqual(yield* indexDefinitions(full.plainUrl))
        expect(yield* deferredIndexRecords(single.plainUrl)).toBeUndefined()
      }),
    180_000
  )
})
