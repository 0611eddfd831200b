/**
 * What the compare-reads tests stand on: both real databases open as Stores, data written identically to both
 * (the primary decides the row, the candidate applies the primary's replica op, as the shadow writer does),
 * candidate stores that are slow, counted or broken, and a logger that keeps what was logged.
 */
import { type Duration, Effect, FiberRef, HashMap, HashSet, Layer, Logger, type LogLevel, Ref } from "effect"
import type { StoreError } from "../../../src/runtime/domain/Errors.js"
import { interceptReads } from "../../../src/runtime/compare/ReadCall.js"
import { ServicesLive } from "../../../src/runtime/layers/Services.js"
import * as PostgresDatabase from "../../../src/runtime/layers/PostgresDatabase.js"
import * as SqliteDatabase from "../../../src/runtime/layers/SqliteDatabase.js"
import { PostgresStoreLive, SqliteStoreLive } from "../../../src/runtime/layers/StoreLayers.js"
import { StoreRouter } from "../../../src/runtime/services/StoreRouter.js"
import type { PostgresStore, SqliteStore, Store } from "../../../src/runtime/store/Store.js"
import { tempPostgres, tempSqlite } from "../../support/TestDatabases.js"

export type BothDatabases =
  SqliteStore | PostgresStore | SqliteDatabase.SqliteDatabase | PostgresDatabase.PostgresDatabase

/** A SQLite file and a PostgreSQL database of their own, migrated, each as a Store. */
export const bothDatabases: Layer.Layer<BothDatabases, StoreError> = Layer.unwrapScoped(
  Effect.gen(function* () {
    const sqlite = yield* tempSqlite()
    const postgres = yield* tempPostgres()
    return Layer.mergeAll(
      SqliteStoreLive.pipe(Layer.provideMerge(SqliteDatabase.layer(sqlite))),
      PostgresStoreLive.pipe(Layer.provideMerge(PostgresDatabase.layer(postgres)))
    )
  })
)

/** The services writing to `primary` and replicating each applied write to `candidate` before returning. */
export const writingToBoth = (primary: Store, candidate: Store) =>
  ServicesLive.pipe(
    Layer.provide(
      Layer.succeed(StoreRouter, {
        read: primary,
        write: (op) =>
          Effect.tap(primary.apply(op), (applied) => candidate.apply(applied.replicate, { asReplica: true }))
      })
    )
  )

/** `store` with every read delayed. */
export const slowStore = (store: Store, delay: Duration.DurationInput) =>
  interceptReads(store, (call) => Effect.delay(call.run(store), delay))

/** `store` counting the reads it is asked for. */
export const countingStore = (store: Store) =>
  Effect.map(Ref.make(0), (calls) => ({
    calls,
    store: interceptReads(store, (call) =>
      Effect.zipRight(
        Ref.update(calls, (n) => n + 1),
        call.run(store)
      )
    )
  }))

export interface LogEntry {
  readonly level: LogLevel.LogLevel["label"]
  readonly message: string
  readonly annotations: Readonly<Record<string, unknown>>
}

/** Runs `effect` (and every fiber it captures a runtime in) with a logger that records each line. */
export const capturingLogs = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const entries: Array<LogEntry> = []
    const logger = Logger.make<unknown, void>(({ annotations, logLevel, message }) => {
      entries.push({
        level: logLevel.label,
        message: (Array.isArray(message) ? message : [message]).map(String).join(" "),
        annotations: Object.fromEntries(HashMap.toEntries(annotations))
      })
    })
    const value = yield* Effect.locallyWith(effect, FiberRef.currentLoggers, HashSet.add(logger))
    return { value, entries }
  })
