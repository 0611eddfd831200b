/**
 * The load shared by import and copy: tables in parallel as far as foreign keys allow (a child starts when its
 * parent is complete, so its orphans are exactly the rows whose parent is not in PostgreSQL), each table on a
 * connection of its own, its pages converted one ahead of the batch PostgreSQL is loading.
 */
import { Deferred, Effect, Stream } from "effect"
import { PostgresDatabase } from "../../layers/PostgresDatabase.js"
import type { Table, TableName } from "../../domain/Tables.js"
import { causeMessage, LoadError } from "./DataErrors.js"
import { deferIndexes, prepareDeferral, rebuildIndexes } from "./DeferredIndexes.js"
import { emptyCounts, type TableCounts, type TableLoadSummary } from "./LoadSummary.js"
import { pgSession } from "./PgSession.js"
import { batchBuilder, type PreparedBatch } from "./PreparedBatch.js"
import { tableProgress } from "./Progress.js"
import { type Reject, rejectsFile } from "./RejectsFile.js"
import type { SourceRow } from "./SqliteSource.js"
import { type OnConflict, tableWriter } from "./TableWriter.js"

export interface LoadSettings {
  /** `skip` (default) leaves rows already in PostgreSQL as they are; `update` overwrites those that differ. */
  readonly onConflict: OnConflict
  /** Empty the target tables first. Nothing is ever deleted without it. */
  readonly truncate: boolean
  readonly rejectsPath: string
  /** Rows per batch (one transaction each); by default sized from the table's width. */
  readonly batchRows?: number | undefined
  /** Tables loaded at the same time (and indexes built at the same time). */
  readonly jobs: number
  /**
   * Build the secondary indexes of a table that starts empty after loading it, instead of maintaining them row by
   * row (see DeferredIndexes.ts). On by default.
   */
  readonly deferIndexes: boolean
}

export const defaultLoadSettings: LoadSettings = {
  onConflict: "skip",
  truncate: false,
  rejectsPath: "migration-rejects.jsonl",
  jobs: 1,
  deferIndexes: true
}

export interface TableSource<E> {
  readonly table: Table
  /** Rows expected, for progress. */
  readonly total: number
  readonly pages: (pageRows: number) => Stream.Stream<ReadonlyArray<SourceRow>, E>
}

/** About 2 MB of COPY text per batch for a typical row of the table. */
/**
 * Lets Node's event loop run: reading and converting a page is synchronous, and meanwhile the socket would not
 * send the rest of the previous batch to PostgreSQL, which would then wait instead of working in parallel.
 */
const yieldToEventLoop = Effect.async<void>((resume) => {
  setImmediate(() => resume(Effect.void))
})

/**
 * A table's rows as full batches. Pages are small and the event loop runs between them, so converting the next
 * batch never holds up the socket that is still sending the previous one.
 */
const preparedBatches = <E>(source: TableSource<E>, batchRows: number): Stream.Stream<PreparedBatch, E> =>
  Stream.suspend(() => {
    const builder = batchBuilder(source.table)
    const pageRows = Math.max(1, Math.min(batchRows, Math.floor(12_000 / Object.keys(source.table.columns).length)))
    const full = source.pages(pageRows).pipe(
      Stream.tap(() => yieldToEventLoop),
      Stream.mapConcat((rows) => {
        builder.add(rows)
        return builder.size() >= batchRows ? [builder.take()] : []
      })
    )
    return Stream.concat(
      full,
      Stream.suspend(() => (builder.size() > 0 ? Stream.make(builder.take()) : Stream.empty))
    )
  })

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
      if (settings.deferIndexes) yield* prepareDeferral

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
        for (const r of rejected) if (typeof r.row[at] === "string") keys.add(r.row[at] as string)
      }

      const loadTable = (source: TableSource<E>) =>
        Effect.scoped(
          Effect.gen(function* () {
            const { table } = source
            const started = performance.now()
            const session = yield* pgSession(table.name)
            if (settings.deferIndexes) yield* deferIndexes(session, table.name)
            const parentKeys = table.foreignKey === undefined ? undefined : rejectedParents.get(table.foreignKey.parent)
            const writer = yield* tableWriter(session, table, {
              onConflict: settings.onConflict,
              parentRejected: parentKeys === undefined ? undefined : (value) => parentKeys.has(value)
            })
            const progress = yield* tableProgress(table.name, source.total)
            let counts: TableCounts = emptyCounts
            yield* preparedBatches(source, settings.batchRows ?? defaultBatchRows(table)).pipe(
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
            yield* progress.done
            const summary: TableLoadSummary = {
              table: table.name,
              ...counts,
              seconds: (performance.now() - started) / 1000
            }
            return summary
          })
        )

      const done = new Map<TableName, Deferred.Deferred<void>>()
      for (const source of sources) done.set(source.table.name, yield* Deferred.make<void>())
      const semaphore = yield* Effect.makeSemaphore(Math.max(1, settings.jobs))
      const indexJobs = Math.max(2, settings.jobs)
      // The largest table first: its index build is the longest tail, so it should start the earliest.
      const bySize = [...sources].sort((a, b) => b.total - a.total)
      const loaded = yield* Effect.forEach(
        bySize,
        (source) =>
          Effect.gen(function* () {
            const parent = source.table.foreignKey?.parent
            const parentDone = parent === undefined ? undefined : done.get(parent)
            if (parentDone !== undefined) yield* Deferred.await(parentDone)
            const summary = yield* semaphore.withPermits(1)(loadTable(source))
            // Children only need the parent's rows (its key is never deferred), not its other indexes.
            yield* Deferred.succeed(done.get(source.table.name)!, undefined)
            const started = performance.now()
            yield* Effect.logDebug("table loaded").pipe(Effect.annotateLogs({ ...summary }))
            const built = yield* rebuildIndexes(source.table.name, indexJobs)
            yield* Effect.logDebug("indexes built").pipe(
              Effect.annotateLogs({ table: source.table.name, indexes: built.join(", ") }),
              Effect.when(() => built.length > 0)
            )
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
