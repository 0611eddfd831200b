/**
 * What shadow writing costs the bot, and whether the shadow keeps up.
 *
 *   npx tsx bench/shadow-bench.ts [--writes 5000] [--warmup 500] [--rounds 3] [--throughput 50000] [--rate 0]
 *     [--lanes 8] [--batch 100] [--linger 5] [--admin postgres://postgres@127.0.0.1:5432/postgres]
 *
 * Latency: `saveHumanMessage` calls one after another (or paced at --rate writes/s), timed around the service
 * call, for SQLite alone, SQLite primary + PostgreSQL shadow, and PostgreSQL alone; the three setups run in
 * turn for --rounds rounds (the machine is shared and warms up) and each figure is the median over rounds.
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
import type { PostgresOptions, SqliteOptions } from "../src/config/DatabaseConfig.js"
import type { Message } from "../src/domain/Message.js"
import * as PostgresDatabase from "../src/layers/PostgresDatabase.js"
import * as SqliteDatabase from "../src/layers/SqliteDatabase.js"
import { PostgresStoreLive } from "../src/layers/StoreLayers.js"
import { databaseLayer } from "../src/modes/DatabaseLayer.js"
import { type Mode, postgresOnly, sqliteOnly, sqliteShadowedToPostgres } from "../src/modes/Mode.js"
import { makeInsertMany } from "../src/modes/BatchInserts.js"
import * as ShadowJournal from "../src/modes/ShadowJournal.js"
import { defaultShadowOptions, type ShadowOptions } from "../src/modes/ShadowOptions.js"
import * as ShadowWriter from "../src/modes/ShadowWriter.js"
import { MessageService } from "../src/services/MessageService.js"
import { PostgresStore } from "../src/store/Store.js"

const { values } = parseArgs({
  options: {
    writes: { type: "string", default: "5000" },
    warmup: { type: "string", default: "500" },
    rounds: { type: "string", default: "3" },
    throughput: { type: "string", default: "50000" },
    rate: { type: "string", default: "0" },
    lanes: { type: "string", default: String(defaultShadowOptions.lanes) },
    batch: { type: "string", default: String(defaultShadowOptions.batchSize) },
    linger: { type: "string", default: String(Duration.toMillis(defaultShadowOptions.batchLinger)) },
    admin: { type: "string", default: process.env["TEST_POSTGRES_ADMIN_URL"] ?? "postgres://postgres@127.0.0.1:5432/postgres" }
  }
})
const writes = Number(values.writes)
const warmup = Number(values.warmup)
const rounds = Number(values.rounds)
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
    const postgres: PostgresOptions = { url: Redacted.make(url.toString()), poolSize: 20, connectTimeoutMs: 5000, migrate: true }
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
  readonly p99: number
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

const measureLatency = (setup: string, mode: Mode) =>
  Effect.scoped(
    Effect.gen(function* () {
      const dbs = yield* freshDatabases
      const runtime = ManagedRuntime.make(
        databaseLayer(mode, { sqlite: dbs.sqlite, postgres: dbs.postgres, shadow: shadowOptions })
      )
      yield* Effect.addFinalizer(() => Effect.promise(() => runtime.dispose()))
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
      const samples: Array<number> = []
      const started = performance.now()
      yield* Effect.promise(async () => {
        const interval = rate > 0 ? 1000 / rate : 0
        for (let i = 0; i < warmup + writes; i++) {
          const t0 = performance.now()
          await runtime.runPromise(save(i))
          const t1 = performance.now()
          if (i >= warmup) samples.push(t1 - t0)
          if (interval > 0) {
            const wait = t0 + interval - performance.now()
            if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
          }
        }
      })
      const elapsed = (performance.now() - started) / 1000
      samples.sort((a, b) => a - b)
      const row: LatencyRow = {
        setup,
        p50: percentile(samples, 50),
        p99: percentile(samples, 99),
        mean: samples.reduce((a, b) => a + b, 0) / samples.length,
        writesPerSecond: (warmup + writes) / elapsed
      }
      return row
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
      inShadowTransaction: (effect) =>
        pg.sql.withTransaction(effect).pipe(Effect.mapError(ShadowWriter.transactionError("postgres"))),
      insertMany: makeInsertMany(pg.sql, "postgres"),
      journal,
      options: { ...shadowOptions, queueCapacity: throughputWrites + 1 }
    })
    const ops = Array.from({ length: throughputWrites }, (_, i) => ({ _tag: "InsertMessage" as const, row: message(i) }))
    const started = performance.now()
    for (const op of ops) yield* writer.submit(op)
    const drained = yield* writer.flush(Duration.minutes(5))
    const seconds = (performance.now() - started) / 1000
    const snapshot = yield* writer.snapshot
    const applied = yield* pg.sql<{ n: number }>`SELECT COUNT(*)::int AS n FROM messages`.pipe(Effect.orDie)
    return {
      writes: throughputWrites,
      seconds,
      perSecond: throughputWrites / seconds,
      drained,
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
    `shadow-bench: ${writes} timed writes after ${warmup} warm-up per run, ` +
      `${rate > 0 ? `paced at ${rate}/s` : "back to back"}; ` +
      `throughput: ${throughputWrites} shadow writes; shadow lanes ${shadowOptions.lanes}, batch ${shadowOptions.batchSize}, ` +
      `linger ${Duration.format(shadowOptions.batchLinger)}`
  )
  const setups = [
    ["sqlite only", sqliteOnly],
    ["sqlite + pg shadow", sqliteShadowedToPostgres],
    ["postgres only", postgresOnly]
  ] as const
  const runs: Array<Array<LatencyRow>> = setups.map(() => [])
  for (let round = 0; round < rounds; round++) {
    for (const [i, [setup, mode]] of setups.entries()) runs[i]!.push(yield* measureLatency(setup, mode))
  }
  const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const rows: Array<LatencyRow> = runs.map((r) => ({
    setup: r[0]!.setup,
    p50: median(r.map((x) => x.p50)),
    p99: median(r.map((x) => x.p99)),
    mean: median(r.map((x) => x.mean)),
    writesPerSecond: median(r.map((x) => x.writesPerSecond))
  }))
  const base = rows[0]!
  yield* Console.log(`\nprimary write latency (saveHumanMessage, ms; median of ${rounds} rounds)`)
  yield* Console.log(`${"setup".padEnd(20)}${"p50".padStart(9)}${"p99".padStart(9)}${"mean".padStart(9)}  vs sqlite p50/p99   writes/s`)
  for (const r of rows) {
    const vs = `${((r.p50 / base.p50 - 1) * 100).toFixed(1)}% / ${((r.p99 / base.p99 - 1) * 100).toFixed(1)}%`
    yield* Console.log(
      `${r.setup.padEnd(20)}${fmt(r.p50)}${fmt(r.p99)}${fmt(r.mean)}  ${vs.padStart(17)} ${fmt(r.writesPerSecond, 0)}`
    )
  }
  const t = yield* measureThroughput
  yield* Console.log("\nshadow sustained throughput (PostgreSQL shadow, message inserts)")
  yield* Console.log(
    `${t.writes} writes in ${t.seconds.toFixed(2)} s = ${t.perSecond.toFixed(0)} writes/s; ` +
      `drained: ${t.drained}; rows in PostgreSQL: ${t.applied}; journaled: ${t.journaled}; journal size: ${t.journalSize}`
  )
})

Effect.runPromise(program).catch((error: unknown) => {
  process.exitCode = 1
  void Console.error(error).pipe(Effect.runSync)
})
