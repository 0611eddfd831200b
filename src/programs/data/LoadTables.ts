/**
 * The load shared by import and copy. Tables run in parallel as far as foreign keys allow (a child starts when its
 * parent is complete, so its orphans are exactly the rows whose parent is not in PostgreSQL), `jobs` at a time,
 * the largest first, each on a connection of its own; a table's secondary indexes are built after its rows, and
 * the table vacuumed and analysed (AnalyzeTable.ts), while the next table loads; within a table, the next batch
 * is read and converted while PostgreSQL loads the current one. A large table from a source that can be split
 * (copy) loads in several streams, one rowid range each, so that PostgreSQL's work runs on more than one backend
 * and core.
 */
import { Deferred, Effect, Exit, Option, type Scope, Stream } from "effect"
import * as os from "node:os"
import { PostgresDatabase } from "../../runtime/layers/PostgresDatabase.js"
import type { Table, TableName } from "../../runtime/domain/Tables.js"
import { analyzeTable } from "./AnalyzeTable.js"
import { recountTallies } from "./RecountTallies.js"
import { causeMessage, LoadError } from "./DataErrors.js"
import { deferIndexes, prepareDeferral, rebuildIndexes } from "./DeferredIndexes.js"
import { emptyCounts, type TableCounts, type TableLoadSummary } from "./LoadSummary.js"
import { type PgSession, pgSessions } from "./PgSession.js"
import { batchBuilder, type PreparedBatch } from "./PreparedBatch.js"
import { tableProgress } from "./Progress.js"
import { defaultRejectsFile, type Reject, rejectsFile } from "./RejectsFile.js"
import { type PageReader, yieldToEventLoop } from "./PageReader.js"
import { type OnConflict, tableWriter } from "./TableWriter.js"

export interface LoadSettings {
  /** `skip` (default) leaves rows already in PostgreSQL as they are; `update` overwrites those that differ. */
  readonly onConflict: OnConflict
  /** Empty the target tables first. Nothing is ever deleted without it. */
  readonly truncate: boolean
  readonly rejectsPath: string
  /** Rows per batch (one transaction each); by default sized from the table's width. */
  readonly batchRows?: number | undefined
  /**
   * Tables loaded at the same time. Converting rows is single-threaded, so with deferred indexes one at a time is
   * fastest (the others load while the first one's indexes are built); with indexes kept, PostgreSQL is the
   * bottleneck and more jobs help. By default 1 when indexes are deferred, 3 when kept. Indexes are built
   * `max(2, jobs)` at a time.
   */
  readonly jobs?: number | undefined
  /**
   * Build the secondary indexes of a table that starts empty after loading it, instead of maintaining them row by
   * row (see DeferredIndexes.ts). On by default.
   */
  readonly deferIndexes: boolean
  /**
   * Streams that load one large table at the same time, each a key range of the source on a connection of its
   * own (only sources that can be split: copy): PostgreSQL is the bottleneck (it maintains the indexes kept, and
   * computes every message's search vector, PostgreSQL migration 7), and each stream's backend works on another
   * core. By default one per CPU, at most 4; never more than the pool can give every job at once.
   */
  readonly streams?: number | undefined
  /** Rows each stream must have at least (default 50,000): below, another connection costs more than it saves. */
  readonly minRowsPerStream?: number | undefined
}

/** One stream per CPU, at most 4: the server's connection limit is shared with the bot, and more is unmeasured. */
export const defaultStreams = (): number => Math.min(4, os.availableParallelism())

export const defaultLoadSettings: LoadSettings = {
  onConflict: "skip",
  truncate: false,
  rejectsPath: defaultRejectsFile,
  deferIndexes: true
}

export interface TableSource<E> {
  readonly table: Table
  /** Rows expected, for progress. */
  readonly total: number
  /** Opens the table for reading, for the scope; `next` throws errors of type E. */
  readonly reader: (pageRows: number) => Effect.Effect<PageReader, E, Scope.Scope>
  /** Types what a reader throws. */
  readonly fail: (cause: unknown) => E
  /** Splits the table into up to `parts` disjoint key ranges that can be read at the same time, if the source can. */
  readonly ranges?: (parts: number) => Effect.Effect<ReadonlyArray<TableSource<E>["reader"]>, E>
}

/**
 * A table's rows as full batches. Pages are small, and each is read and converted in one synchronous step that
 * leaves nothing of it alive; the event loop runs between steps, so the socket keeps sending the previous batch
 * to PostgreSQL meanwhile, and the garbage collector (which runs as an event-loop task) never finds a page alive.
 */
const preparedBatches = <E>(
  table: Table,
  open: TableSource<E>["reader"],
  fail: (cause: unknown) => E,
  batchRows: number
): Stream.Stream<PreparedBatch, E> =>
  Stream.unwrapScoped(
    Effect.gen(function* () {
      const pageRows = Math.max(1, Math.min(batchRows, Math.floor(12_000 / Object.keys(table.columns).length)))
      const reader = yield* open(pageRows)
      const builder = batchBuilder(table)
      let done = false
      const step = Effect.try({
        try: () => {
          const rows = reader.next()
          if (rows.length < pageRows) done = true
          if (rows.length > 0) builder.add(rows)
        },
        catch: fail
      })
      const nextBatch = Effect.gen(function* () {
        while (!done && builder.size() < batchRows) {
          yield* step
          yield* yieldToEventLoop
        }
        return builder.size() > 0 ? Option.some(builder.take()) : Option.none()
      })
      return Stream.repeatEffectOption(
        nextBatch.pipe(
          Effect.mapError(Option.some),
          Effect.flatMap(Option.match({ onNone: () => Effect.fail(Option.none()), onSome: Effect.succeed }))
        )
      )
    })
  )

/** About 2 MB of COPY text per batch for a typical row of the table. */
export const defaultBatchRows = (table: Table): number =>
  Math.max(250, Math.floor(120_000 / Object.keys(table.columns).length))

/** host:port/database of the pool, without credentials. */
export const targetName = Effect.map(PostgresDatabase, ({ pool }) => {
  const options = pool.options as { connectionString?: string }
  try {
    const url = new URL(options.connectionString ?? "")
    return `${url.host}${url.pathname}`
  } catch {
    return "postgresql"
  }
})

const truncateTables = (names: ReadonlyArray<TableName>) =>
  Effect.gen(function* () {
    const { pool } = yield* PostgresDatabase
    yield* Effect.tryPromise({
      try: () => pool.query(`TRUNCATE ${names.map((n) => `"${n}"`).join(", ")}`),
      catch: (cause) =>
        new LoadError({
          table: names.join(", "),
          message: `--truncate failed: ${causeMessage(cause)} (truncate a parent table together with its children)`,
          cause
        })
    })
  })

export const loadTables = <E>(sources: ReadonlyArray<TableSource<E>>, settings: LoadSettings) =>
  Effect.scoped(
    Effect.gen(function* () {
      const rejects = yield* rejectsFile(settings.rejectsPath)
      if (settings.truncate) yield* truncateTables(sources.map((s) => s.table.name))
      const jobs = Math.max(1, settings.jobs ?? (settings.deferIndexes ? 1 : 3))
      const indexJobs = Math.max(2, jobs)
      if (settings.deferIndexes) {
        yield* prepareDeferral
        // A load that fails or is stopped (SIGTERM, Ctrl-C) builds what it deferred before it ends, over the rows
        // it loaded: left dropped, the indexes would be missing until the next load or `schema`. Should this fail
        // too (the server is gone), the definitions stay recorded for them.
        yield* Effect.addFinalizer((exit) =>
          Exit.isSuccess(exit) ? Effect.void : Effect.ignore(rebuildIndexes(undefined, indexJobs))
        )
      }

      // Keys of rejected parent rows, so their children's rejects can say why they are orphans.
      const rejectedParents = new Map<TableName, Set<string>>()
      for (const { table } of sources) {
        const fk = table.foreignKey
        if (fk !== undefined && sources.some((s) => s.table.name === fk.parent))
          rejectedParents.set(fk.parent, new Set())
      }
      const noteRejected = (table: Table, rejected: ReadonlyArray<Reject>) => {
        const keys = rejectedParents.get(table.name)
        if (keys === undefined || rejected.length === 0) return
        const column = sources.find((s) => s.table.foreignKey?.parent === table.name)!.table.foreignKey!.parentColumn
        const at = Object.keys(table.columns).indexOf(column)
        for (const r of rejected) if (typeof r.row[at] === "string") keys.add(r.row[at])
      }

      const loadTable = (source: TableSource<E>, streams: number) =>
        Effect.scoped(
          Effect.gen(function* () {
            const { table } = source
            const started = performance.now()
            // Split with indexes deferred too since PostgreSQL computes the stored search vector in COPY: 1M
            // messages in two streams 25.3-27.5 s, in one 27.9-34.6 s (three runs each, interleaved, 2 cores).
            const parts = Math.min(streams, Math.floor(source.total / Math.max(1, settings.minRowsPerStream ?? 50_000)))
            const readers = parts > 1 && source.ranges !== undefined ? yield* source.ranges(parts) : [source.reader]
            // All the table's connections in one step: holding one while waiting for the next could deadlock.
            const sessions = yield* pgSessions(table.name, readers.length)
            if (settings.deferIndexes) yield* deferIndexes(sessions[0]!, table.name)
            const parentKeys = table.foreignKey === undefined ? undefined : rejectedParents.get(table.foreignKey.parent)
            const progress = yield* tableProgress(table.name, source.total)
            const batchRows = Math.max(1, settings.batchRows ?? defaultBatchRows(table))
            let counts: TableCounts = emptyCounts
            const loadRange = (session: PgSession, reader: TableSource<E>["reader"]) =>
              Effect.gen(function* () {
                const writer = yield* tableWriter(session, table, {
                  onConflict: settings.onConflict,
                  parentRejected: parentKeys === undefined ? undefined : (value) => parentKeys.has(value)
                })
                yield* preparedBatches(table, reader, source.fail, batchRows).pipe(
                  // The next batch is read and converted while PostgreSQL loads this one.
                  Stream.buffer({ capacity: 1 }),
                  Stream.runForEach((batch) =>
                    Effect.gen(function* () {
                      const outcome = yield* writer.write(batch)
                      batch.release()
                      yield* rejects.write(table, batch.rejects)
                      yield* rejects.write(table, outcome.rejects)
                      noteRejected(table, batch.rejects)
                      noteRejected(table, outcome.rejects)
                      counts = {
                        read: counts.read + batch.read,
                        written: counts.written + outcome.inserted + outcome.updated,
                        updated: counts.updated + outcome.updated,
                        skipped: counts.skipped + outcome.skipped,
                        rejected: counts.rejected + batch.rejects.length + outcome.rejects.length,
                        sanitized: counts.sanitized + batch.sanitized,
                        invalidJson: counts.invalidJson + batch.invalidJson
                      }
                      yield* progress.advance(batch.read)
                    })
                  )
                )
              })
            yield* Effect.forEach(readers, (reader, i) => loadRange(sessions[i]!, reader), {
              concurrency: "unbounded",
              discard: true
            })
            yield* progress.done
            const summary: TableLoadSummary = {
              table: table.name,
              ...counts,
              streams: sessions.length,
              seconds: (performance.now() - started) / 1000
            }
            return summary
          })
        )

      const done = new Map<TableName, Deferred.Deferred<void>>()
      for (const source of sources) done.set(source.table.name, yield* Deferred.make<void>())
      // Every job may hold all its streams' connections at once: more than the pool has would deadlock.
      const { pool } = yield* PostgresDatabase
      const streams = Math.max(
        1,
        Math.min(
          settings.streams ?? Math.min(4, os.availableParallelism()),
          Math.floor((pool.options.max ?? 10) / jobs)
        )
      )
      const semaphore = yield* Effect.makeSemaphore(jobs)
      // The largest table first: its index build is the longest tail, so it should start the earliest.
      const bySize = [...sources].sort((a, b) => b.total - a.total)
      const loaded = yield* Effect.forEach(
        bySize,
        (source) =>
          Effect.gen(function* () {
            const parent = source.table.foreignKey?.parent
            const parentDone = parent === undefined ? undefined : done.get(parent)
            if (parentDone !== undefined) yield* Deferred.await(parentDone)
            const summary = yield* semaphore.withPermits(1)(loadTable(source, streams))
            // Children only need the parent's rows (its key is never deferred), not its other indexes.
            yield* Deferred.succeed(done.get(source.table.name)!, undefined)
            const started = performance.now()
            yield* Effect.logDebug("table loaded").pipe(Effect.annotateLogs({ ...summary }))
            yield* recountTallies(source.table.name)
            const built = yield* rebuildIndexes(source.table.name, indexJobs)
            yield* Effect.logDebug("indexes built").pipe(
              Effect.annotateLogs({ table: source.table.name, indexes: built.join(", ") }),
              Effect.when(() => built.length > 0)
            )
            yield* analyzeTable(source.table.name)
            return { ...summary, seconds: summary.seconds + (performance.now() - started) / 1000 }
          }),
        { concurrency: "unbounded" }
      )
      // Indexes a killed earlier run deferred, on tables this run did not load.
      const restored = yield* rebuildIndexes(undefined, indexJobs)
      const tables = sources.map((s) => loaded.find((t) => t.table === s.table.name)!)
      return { tables, restored, rejectsFile: rejects.count() > 0 ? rejects.path : null }
    })
  )
