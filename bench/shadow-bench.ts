/**
 * What shadow writing costs the bot, and whether the shadow keeps up.
 *
 *   npx tsx bench/shadow-bench.ts [--writes 10000] [--block 500] [--warmup 500] [--throughput 50000] [--rate 0]
 *     [--lanes 8] [--batch 100] [--linger 5] [--admin postgres://postgres@127.0.0.1:5432/postgres]
 *
 * Latency: `saveHumanMessage` calls one after another (or paced at --rate writes/s), timed around the service
 * call, for SQLite alone, SQLite primary + PostgreSQL shadow, PostgreSQL alone, and SQLite alone again (an A/A
 * control: the noise floor). They stay open side by side and take turns in blocks of --block writes (the machine
 * is shared: noise falls on all of them alike).
 * Throughput: --throughput
 * message inserts handed to a shadow writer at once, timed until every one is applied to PostgreSQL; the journal
 * must be empty afterwards. Each run uses a fresh SQLite file and a fresh PostgreSQL database, dropped at the end.
 */
import { Console, Duration, Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { parseArgs } from "node:util"
import Pg from "pg"
import type { PostgresOptions, SqliteOptions } from "../src/runtime/config/DatabaseConfig.js"
import type { Message } from "../src/runtime/domain/Message.js"
import * as PostgresDatabase from "../src/runtime/layers/PostgresDatabase.js"
import * as SqliteDatabase from "../src/runtime/layers/SqliteDatabase.js"
import { PostgresStoreLive } from "../src/runtime/layers/StoreLayers.js"
import { type Database, databaseLayer } from "../src/runtime/modes/DatabaseLayer.js"
import { ShadowHealth } from "../src/runtime/modes/ShadowHealth.js"
import { type Mode, postgresOnly, sqliteOnly, sqliteShadowedToPostgres } from "../src/runtime/config/Mode.js"
import { makeInsertMany } from "../src/runtime/modes/BatchInserts.js"
import { shadowError } from "../src/runtime/modes/ShadowBatch.js"
import * as ShadowJournal from "../src/runtime/modes/ShadowJournal.js"
import { defaultShadowOptions, type ShadowOptions } from "../src/runtime/config/ShadowOptions.js"
import * as ShadowWriter from "../src/runtime/modes/ShadowWriter.js"
import { MessageService } from "../src/runtime/services/MessageService.js"
import { PostgresStore } from "../src/runtime/store/Store.js"

const { values } = parseArgs({
  options: {
    writes: { type: "string", default: "10000" },
    warmup: { type: "string", default: "500" },
    block: { type: "string", default: "500" },
    throughput: { type: "string", default: "50000" },
    rate: { type: "string", default: "0" },
    lanes: { type: "string", default: String(defaultShadowOptions.lanes) },
    batch: { type: "string", default: String(defaultShadowOptions.batchSize) },
    linger: { type: "string", default: String(Duration.toMillis(defaultShadowOptions.batchLinger)) },
    admin: {
      type: "string",
      default: process.env["TEST_POSTGRES_ADMIN_URL"] ?? "postgres://postgres@127.0.0.1:5432/postgres"
    }
  }
})
const writes = Number(values.writes)
const warmup = Number(values.warmup)
const blockSize = Number(values.block)
const throughputWrites = Number(values.throughput)
const rate = Number(values.rate)
const adminUrl = values.admin!

// ---- fresh databases -----------------------------------------------------------------------------------------

const admin = async (statement: string) => {
  const client = new Pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

const freshDatabases = Effect.acquireRelease(
  Effect.promise(async () => {
    const dir = mkdtempSync(join(tmpdir(), "omega-bench-"))
    const name = `omega_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
    await admin(`CREATE DATABASE ${name}`)
    const url = new URL(adminUrl)
    url.pathname = `/${name}`
    const sqlite: SqliteOptions = { filename: join(dir, "bench.db"), busyTimeoutMs: 5000, migrate: true }
    const postgres: PostgresOptions = {
      url: Redacted.make(url.toString()),
      poolSize: 20,
      connectTimeoutMs: 5000,
      migrate: true
    }
    return { dir, name, sqlite, postgres }
  }),
  ({ dir, name }) =>
    Effect.promise(async () => {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      rmSync(dir, { recursive: true, force: true })
    })
)

// ---- latency -------------------------------------------------------------------------------------------------

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN

interface LatencyRow {
  readonly setup: string
  readonly p50: number
  readonly p90: number
  readonly p99: number
  readonly p999: number
  readonly mean: number
  readonly writesPerSecond: number
}

const shadowOptions: ShadowOptions = {
  ...defaultShadowOptions,
  lanes: Number(values.lanes),
  batchSize: Number(values.batch),
  batchLinger: Duration.millis(Number(values.linger)),
  healthInterval: Duration.zero
}

interface Setup {
  readonly name: string
  readonly runtime: ManagedRuntime.ManagedRuntime<Database, unknown>
  readonly samples: Array<number>
  next: number
  busyMs: number
}

const openSetup = (name: string, mode: Mode) =>
  Effect.gen(function* () {
    const dbs = yield* freshDatabases
    const runtime = ManagedRuntime.make(
      databaseLayer(mode, { sqlite: dbs.sqlite, postgres: dbs.postgres, shadow: shadowOptions })
    )
    yield* Effect.addFinalizer(() => Effect.promise(() => runtime.dispose()))
    return { name, runtime, samples: [], next: 0, busyMs: 0 } satisfies Setup
  })

const save = (i: number) =>
  Effect.flatMap(MessageService, (m) =>
    m.saveHumanMessage({
      userId: `user-${i % 50}`,
      username: "Bench",
      channelId: `chan-${i % 7}`,
      content: `benchmark message ${i} with some words in it`,
      metadata: { i, tags: ["bench"] }
    })
  )

/** `count` writes one after another (or paced), then waits (untimed) until the shadow has caught up. */
const runBlock = (setup: Setup, count: number, record: boolean) =>
  Effect.promise(async () => {
    const interval = rate > 0 ? 1000 / rate : 0
    const start = performance.now()
    for (let n = 0; n < count; n++) {
      const t0 = performance.now()
      await setup.runtime.runPromise(save(setup.next++))
      if (record) setup.samples.push(performance.now() - t0)
      if (interval > 0) {
        // An absolute schedule: timer granularity does not drift the rate.
        const wait = start + (n + 1) * interval - performance.now()
        if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait))
      }
    }
    if (record) setup.busyMs += performance.now() - start
    await setup.runtime.runPromise(Effect.flatMap(ShadowHealth, (h) => h.flush(Duration.minutes(1))))
  })

/**
 * The setups stay open side by side and take turns in blocks, in rotating order, so that whatever else the
 * machine is doing falls on all of them alike. Between blocks each shadow catches up, so one setup's background
 * work never lands in another's block.
 */
const measureLatencies = (setups: ReadonlyArray<readonly [string, Mode]>) =>
  Effect.scoped(
    Effect.gen(function* () {
      const open = yield* Effect.forEach(setups, ([name, mode]) => openSetup(name, mode))
      for (const setup of open) yield* runBlock(setup, warmup, false)
      const blocks = Math.max(1, Math.ceil(writes / blockSize))
      for (let b = 0; b < blocks; b++) {
        for (let k = 0; k < open.length; k++) yield* runBlock(open[(b + k) % open.length]!, blockSize, true)
      }
      return open.map((setup): LatencyRow => {
        const sorted = [...setup.samples].sort((a, c) => a - c)
        return {
          setup: setup.name,
          p50: percentile(sorted, 50),
          p90: percentile(sorted, 90),
          p99: percentile(sorted, 99),
          p999: percentile(sorted, 99.9),
          mean: sorted.reduce((a, c) => a + c, 0) / sorted.length,
          writesPerSecond: sorted.length / (setup.busyMs / 1000)
        }
      })
    })
  )

// ---- shadow throughput ---------------------------------------------------------------------------------------

const message = (i: number): Message => ({
  id: `bench-${i}`,
  timestamp: 1_700_000_000_000 + i,
  sender_type: "human",
  user_id: `user-${i % 50}`,
  username: "Bench",
  channel_id: `chan-${i % 7}`,
  channel_name: null,
  guild_id: null,
  message_content: `benchmark message ${i} with some words in it`,
  tool_name: null,
  tool_args: null,
  tool_result: null,
  session_id: null,
  parent_message_id: null,
  metadata: { i, tags: ["bench"] },
  ai_summary: null,
  sentiment_analysis: null,
  response_decision: null,
  interaction_type: null,
  user_intent: null,
  bot_perception: null,
  conversation_quality: null,
  created_at: 1_700_000_000
})

const measureThroughput = Effect.scoped(
  Effect.gen(function* () {
    const dbs = yield* freshDatabases
    const ctx = yield* Layer.build(
      Layer.merge(
        SqliteDatabase.layer(dbs.sqlite),
        PostgresStoreLive.pipe(Layer.provideMerge(PostgresDatabase.layer(dbs.postgres)))
      )
    )
    const sqlite = Effect.runSync(Effect.provide(SqliteDatabase.SqliteDatabase, ctx))
    const pg = Effect.runSync(Effect.provide(PostgresDatabase.PostgresDatabase, ctx))
    const shadow = Effect.runSync(Effect.provide(PostgresStore, ctx))
    const journal = ShadowJournal.make(sqlite.sql, "sqlite")
    const writer = yield* ShadowWriter.make({
      primary: "sqlite",
      shadow,
      inShadowTransaction: (effect) => pg.sql.withTransaction(effect).pipe(Effect.mapError(shadowError("postgres"))),
      insertMany: makeInsertMany(pg.sql, "postgres"),
      journal,
      // Room for the whole backlog on top of the usual bound, so that the backlog measures speed, not overflow.
      options: { ...shadowOptions, queueCapacity: throughputWrites + defaultShadowOptions.queueCapacity }
    })
    // Backlog: everything handed over at once, timed until the shadow has applied it all.
    const ops = Array.from({ length: throughputWrites }, (_, i) => ({
      _tag: "InsertMessage" as const,
      row: message(i)
    }))
    const started = performance.now()
    for (const op of ops) yield* writer.submit(op)
    const drained = yield* writer.flush(Duration.minutes(5))
    const seconds = (performance.now() - started) / 1000

    // Steady offered load: 5,000 writes/s (50 every 10 ms) for 5 s; the queue must stay small.
    let maxDepth = 0
    const steadyStart = performance.now()
    for (let tick = 0; tick < 500; tick++) {
      for (let j = 0; j < 50; j++)
        yield* writer.submit({ _tag: "InsertMessage", row: message(throughputWrites + tick * 50 + j) })
      maxDepth = Math.max(maxDepth, writer.queueDepth())
      const wait = steadyStart + (tick + 1) * 10 - performance.now()
      if (wait >= 1) yield* Effect.sleep(Duration.millis(wait))
    }
    const steadyDrained = yield* writer.flush(Duration.minutes(1))
    const steadySeconds = (performance.now() - steadyStart) / 1000

    const snapshot = yield* writer.snapshot
    const applied = yield* pg.sql<{ n: number }>`SELECT COUNT(*)::int AS n FROM messages`.pipe(Effect.orDie)
    return {
      writes: throughputWrites,
      seconds,
      perSecond: throughputWrites / seconds,
      drained: drained && steadyDrained,
      steadyRate: 25_000 / steadySeconds,
      maxDepth,
      applied: applied[0]?.n ?? 0,
      journalSize: snapshot.journalSize,
      journaled: snapshot.journaled
    }
  })
)

// ---- report --------------------------------------------------------------------------------------------------

const fmt = (n: number, digits = 3) => n.toFixed(digits).padStart(9)

const program = Effect.gen(function* () {
  yield* Console.log(
    `shadow-bench: ${writes} timed writes per setup in blocks of ${blockSize}, after ${warmup} warm-up, ` +
      `${rate > 0 ? `paced at ${rate}/s` : "back to back"}; ` +
      `throughput: ${throughputWrites} shadow writes; shadow lanes ${shadowOptions.lanes}, batch ${shadowOptions.batchSize}, ` +
      `linger ${Duration.format(shadowOptions.batchLinger)}`
  )
  const rows = yield* measureLatencies([
    ["sqlite only", sqliteOnly],
    ["sqlite + pg shadow", sqliteShadowedToPostgres],
    ["postgres only", postgresOnly],
    // A second, identical SQLite setup: how far two runs of the same thing differ here (the noise floor).
    ["sqlite only (A/A)", sqliteOnly]
  ])
  const base = rows[0]!
  yield* Console.log("\nprimary write latency (saveHumanMessage, ms; the setups interleaved in blocks)")
  yield* Console.log(
    `${"setup".padEnd(20)}${["p50", "p90", "p99", "p99.9", "mean"].map((h) => h.padStart(9)).join("")}` +
      `  vs sqlite p50/p99   writes/s`
  )
  for (const r of rows) {
    const vs = `${((r.p50 / base.p50 - 1) * 100).toFixed(1)}% / ${((r.p99 / base.p99 - 1) * 100).toFixed(1)}%`
    yield* Console.log(
      `${r.setup.padEnd(20)}${[r.p50, r.p90, r.p99, r.p999, r.mean].map((x) => fmt(x)).join("")}` +
        `  ${vs.padStart(17)} ${fmt(r.writesPerSecond, 0)}`
    )
  }
  const t = yield* measureThroughput
  yield* Console.log("\nshadow sustained throughput (PostgreSQL shadow, message inserts)")
  yield* Console.log(
    `backlog of ${t.writes} writes drained in ${t.seconds.toFixed(2)} s = ${t.perSecond.toFixed(0)} writes/s`
  )
  yield* Console.log(
    `steady 5,000 writes/s offered for 5 s: achieved ${t.steadyRate.toFixed(0)} writes/s, max queue depth ${t.maxDepth}`
  )
  yield* Console.log(
    `all drained: ${t.drained}; rows in PostgreSQL: ${t.applied} of ${t.writes + 25_000}; ` +
      `journaled: ${t.journaled}; journal size: ${t.journalSize}`
  )
})

Effect.runPromise(program).catch((error: unknown) => {
  process.exitCode = 1
  void Console.error(error).pipe(Effect.runSync)
})
