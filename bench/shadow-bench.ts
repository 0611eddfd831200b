/**
 * What shadow replication (the transactional outbox) costs the bot, and whether the shadow keeps up.
 *
 *   npx tsx bench/shadow-bench.ts [--writes 5000] [--block 250] [--warmup 300] [--rate 0] [--sustained 5000]
 *     [--sustained-seconds 10] [--outage 60] [--outage-rate 1000] [--batch 500]
 *     [--admin postgres://postgres@127.0.0.1:5432/postgres]
 *
 * 1. Latency: `saveHumanMessage` calls one after another (or paced at --rate writes/s), timed around the service
 *    call, for SQLite alone, SQLite primary + PostgreSQL shadow, PostgreSQL alone, PostgreSQL primary + SQLite
 *    shadow, and SQLite alone again (an A/A control: the noise floor). The setups are the bot's own layers
 *    (`databaseLayer`), open side by side, taking turns in blocks of --block writes so that the machine's noise
 *    falls on all of them alike; each shadow catches up (untimed) between blocks.
 * 2. Sustained: --sustained message writes/s reach the outbox of a SQLite primary (a tick's worth every 10 ms, in one
 *    primary statement: see `writePath`) for --sustained-seconds while the applier, in the same process, applies
 *    them to PostgreSQL; the outbox depth is sampled throughout: "no backlog" means it stays within a second's worth.
 * 3. Catch-up: PostgreSQL cut off (connections to its database terminated and refused) for --outage seconds while
 *    --outage-rate writes/s go on; then it is restored and the drain of the backlog is timed.
 * Each setup uses a fresh SQLite file and a fresh PostgreSQL database, dropped at the end.
 */
import { Console, Duration, Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { parseArgs } from "node:util"
import Pg from "pg"
import type { PostgresOptions, SqliteOptions } from "../src/runtime/config/DatabaseConfig.js"
import {
  type Mode,
  postgresOnly,
  postgresShadowedToSqlite,
  sqliteOnly,
  sqliteShadowedToPostgres
} from "../src/runtime/config/Mode.js"
import { defaultShadowOptions, type ShadowOptions } from "../src/runtime/config/ShadowOptions.js"
import type { Message } from "../src/runtime/domain/Message.js"
import * as PostgresDatabase from "../src/runtime/layers/PostgresDatabase.js"
import * as SqliteDatabase from "../src/runtime/layers/SqliteDatabase.js"
import { PostgresStoreLive, SqliteStoreLive } from "../src/runtime/layers/StoreLayers.js"
import { type Database, databaseLayer, modeLayer } from "../src/runtime/modes/DatabaseLayer.js"
import { ShadowHealth } from "../src/runtime/modes/ShadowHealth.js"
import { MessageService } from "../src/runtime/services/MessageService.js"
import { SqliteStore } from "../src/runtime/store/Store.js"

const { values } = parseArgs({
  options: {
    writes: { type: "string", default: "5000" },
    warmup: { type: "string", default: "300" },
    block: { type: "string", default: "250" },
    rate: { type: "string", default: "0" },
    sustained: { type: "string", default: "5000" },
    "sustained-seconds": { type: "string", default: "10" },
    outage: { type: "string", default: "60" },
    "outage-rate": { type: "string", default: "1000" },
    batch: { type: "string", default: String(defaultShadowOptions.batchSize) },
    admin: {
      type: "string",
      default: process.env["TEST_POSTGRES_ADMIN_URL"] ?? "postgres://postgres@127.0.0.1:5432/postgres"
    }
  }
})
const writes = Number(values.writes)
const warmup = Number(values.warmup)
const blockSize = Number(values.block)
const rate = Number(values.rate)
const sustainedRate = Number(values.sustained)
const sustainedSeconds = Number(values["sustained-seconds"])
const outageSeconds = Number(values.outage)
const outageRate = Number(values["outage-rate"])
const adminUrl = values.admin

const shadowOptions: ShadowOptions = {
  ...defaultShadowOptions,
  batchSize: Number(values.batch),
  healthInterval: Duration.zero
}

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
  readonly mean: number
  readonly writesPerSecond: number
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
    const samples: Array<number> = []
    return { name, runtime, samples, next: 0, busyMs: 0 } satisfies Setup
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
          mean: sorted.reduce((a, c) => a + c, 0) / sorted.length,
          writesPerSecond: sorted.length / (setup.busyMs / 1000)
        }
      })
    })
  )

// ---- the write path at a given rate --------------------------------------------------------------------------

/**
 * Offers `perSecond` writes for `seconds`, a tick's worth (one hundredth) every 10 ms through `write`, sampling
 * `depth` every 100 ms; returns the writes made, the achieved rate and the depths seen.
 */
const offer = (
  write: (first: number, count: number) => Effect.Effect<unknown, unknown>,
  depth: Effect.Effect<number>,
  perSecond: number,
  seconds: number,
  first: number
) =>
  Effect.gen(function* () {
    const perTick = Math.max(1, Math.round(perSecond / 100))
    const ticks = Math.round(seconds * 100)
    const start = performance.now()
    const depths: Array<number> = []
    let n = first
    for (let tick = 0; tick < ticks; tick++) {
      yield* write(n, perTick)
      n += perTick
      if (tick % 10 === 0) depths.push(yield* depth)
      const wait = start + (tick + 1) * 10 - performance.now()
      // Always yield, even when behind: the applier runs in this process too.
      yield* Effect.sleep(Duration.millis(Math.max(0, wait)))
    }
    const elapsed = (performance.now() - start) / 1000
    return { written: n - first, achieved: (n - first) / elapsed, depths }
  })

/**
 * PostgreSQL cut off for one database and restored: its connections terminated and new ones refused, as when the
 * server is down. (A TCP proxy in the path would relay every byte of the catch-up through a process on this
 * machine's two cores, and charge it to the applier measured.)
 */
const outageOf = (name: string) => ({
  cut: async () => {
    await admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`)
    await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`)
  },
  restore: () => admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`)
})

interface Sustained {
  readonly offered: number
  readonly achieved: number
  readonly maxDepth: number
  readonly endDepth: number
  readonly drainSeconds: number
}

interface CatchUp {
  readonly backlog: number
  readonly writtenPerSecond: number
  /** From the restore to the first entry applied (the applier's backoff). */
  readonly reconnectSeconds: number
  readonly seconds: number
  readonly perSecond: number
}

const message = (i: number): Message => ({
  id: `bench-${i}`,
  timestamp: 1_700_000_000_000 + i,
  sender_type: "ai",
  user_id: `user-${i % 50}`,
  username: "Bench",
  channel_id: `chan-${i % 7}`,
  channel_name: null,
  guild_id: null,
  message_content: `benchmark reply ${i} with some words in it`,
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

/**
 * SQLite primary and PostgreSQL shadow as `modeLayer` builds them, so that entries can be fed to the outbox
 * directly: `count` message writes as ONE multi-row insert, whose trigger records each in the outbox in that
 * statement (a tick's worth). One process cannot make 5,000 separate SQLite commits a second beside the applier on
 * this machine (a commit costs 0.2-0.4 ms); batching the primary side measures what is asked here, the shadow's
 * rate, with the applier still sharing the writer's event loop.
 */
const writePath = Effect.gen(function* () {
  const dbs = yield* freshDatabases
  const p = outageOf(dbs.name)
  const databases = Layer.mergeAll(
    SqliteStoreLive.pipe(Layer.provideMerge(SqliteDatabase.layer(dbs.sqlite))),
    PostgresStoreLive.pipe(Layer.provideMerge(PostgresDatabase.layer(dbs.postgres)))
  )
  // The applier of the bot's own process is woken by each write it commits; entries fed around it are found by
  // polling, here every 10 ms.
  const ctx = yield* Layer.build(
    modeLayer(sqliteShadowedToPostgres, { ...shadowOptions, pollInterval: Duration.millis(10) }).pipe(
      Layer.provideMerge(databases)
    )
  )
  const health = yield* Effect.provide(ShadowHealth, ctx)
  const primary = yield* Effect.provide(SqliteStore, ctx)
  // The tick's messages as one multi-row insert, each recorded in the outbox by the trigger that records the bot's
  // own message inserts (store/InsertCapture, installed by the first recorded insert): the harness's own cost
  // kept low, so that what the event loop has left goes to the applier, whose rate is measured.
  yield* primary.applyRecorded({ _tag: "InsertMessage", row: message(-1) }, Date.now())
  const write = (first: number, count: number) =>
    primary.applyMany(
      Array.from({ length: count }, (_, k) => ({ _tag: "InsertMessage" as const, row: message(first + k) }))
    )
  const depth = Effect.map(health.snapshot, (s) => s.outboxDepth).pipe(Effect.orElseSucceed(() => -1))
  yield* health.flush(Duration.minutes(1))

  // Sustained: the offered rate with the applier running beside it.
  const run = yield* offer(write, depth, sustainedRate, sustainedSeconds, 0)
  const endDepth = yield* depth
  const drainStart = performance.now()
  yield* health.flush(Duration.minutes(5))
  const sustained: Sustained = {
    offered: sustainedRate,
    achieved: run.achieved,
    maxDepth: Math.max(...run.depths),
    endDepth,
    drainSeconds: (performance.now() - drainStart) / 1000
  }

  // Catch-up: the shadow cut off while writes go on, then restored; the drain of the backlog is timed.
  yield* Effect.promise(() => p.cut())
  const outage = yield* offer(write, Effect.succeed(0), outageRate, outageSeconds, run.written)
  const backlog = yield* depth
  yield* Effect.promise(() => p.restore())
  const restored = performance.now()
  // The applier notices only at its next attempt (its backoff reaches SHADOW_RETRY_MAX_DELAY_MS during an outage):
  // the rate is timed from the first entry applied.
  let left = backlog
  while (left >= backlog) {
    yield* Effect.sleep(Duration.millis(5))
    left = yield* depth
  }
  const firstApplied = performance.now()
  const drained = yield* health.flush(Duration.minutes(10))
  const done = performance.now()
  const catchUp: CatchUp = {
    backlog,
    writtenPerSecond: outage.achieved,
    reconnectSeconds: (firstApplied - restored) / 1000,
    seconds: (done - firstApplied) / 1000,
    perSecond: drained ? backlog / ((done - firstApplied) / 1000) : Number.NaN
  }
  return { sustained, catchUp }
}).pipe(Effect.scoped)

// ---- report --------------------------------------------------------------------------------------------------

const fmt = (n: number, digits = 3) => n.toFixed(digits).padStart(9)
const pct = (a: number, b: number) => `${a >= b ? "+" : ""}${((a / b - 1) * 100).toFixed(1)}%`

const program = Effect.gen(function* () {
  yield* Console.log(
    `shadow-bench: ${writes} timed writes per setup in blocks of ${blockSize} after ${warmup} warm-up, ` +
      `${rate > 0 ? `paced at ${rate}/s` : "back to back"}; batch ${shadowOptions.batchSize}`
  )
  const rows = yield* measureLatencies([
    ["sqlite only", sqliteOnly],
    ["sqlite + pg shadow", sqliteShadowedToPostgres],
    ["postgres only", postgresOnly],
    ["postgres + sqlite shadow", postgresShadowedToSqlite],
    // A second, identical SQLite setup: how far two runs of the same thing differ here (the noise floor).
    ["sqlite only (A/A)", sqliteOnly]
  ])
  const [sqlite, sqliteShadow, postgres, postgresShadow, aa] = rows as [
    LatencyRow,
    LatencyRow,
    LatencyRow,
    LatencyRow,
    LatencyRow
  ]
  const against = new Map([
    [sqliteShadow, sqlite],
    [postgresShadow, postgres],
    [aa, sqlite]
  ])
  yield* Console.log("\nprimary write latency (saveHumanMessage, ms; the setups interleaved in blocks)")
  yield* Console.log(
    `${"setup".padEnd(26)}${["p50", "p90", "p99", "mean"].map((h) => h.padStart(9)).join("")}` +
      `   vs its primary alone (p50 / p99)   writes/s`
  )
  for (const r of rows) {
    const base = against.get(r)
    const vs = base === undefined ? "" : `${pct(r.p50, base.p50)} / ${pct(r.p99, base.p99)}`
    yield* Console.log(
      `${r.setup.padEnd(26)}${[r.p50, r.p90, r.p99, r.mean].map((x) => fmt(x)).join("")}` +
        `   ${vs.padEnd(33)}${fmt(r.writesPerSecond, 0)}`
    )
  }
  const { catchUp, sustained } = yield* writePath
  yield* Console.log("\nshadow throughput (SQLite primary, PostgreSQL shadow, the applier in the writing process)")
  yield* Console.log(
    `sustained: ${sustained.offered} writes/s offered for ${sustainedSeconds} s, ${sustained.achieved.toFixed(0)} ` +
      `achieved; outbox depth at most ${sustained.maxDepth}, ${sustained.endDepth} at the end, drained ` +
      `${sustained.drainSeconds.toFixed(2)} s later`
  )
  yield* Console.log(
    `catch-up: ${outageSeconds} s outage at ${catchUp.writtenPerSecond.toFixed(0)} writes/s left ${catchUp.backlog} ` +
      `entries; first applied ${catchUp.reconnectSeconds.toFixed(2)} s after PostgreSQL was back, then drained in ` +
      `${catchUp.seconds.toFixed(2)} s = ${catchUp.perSecond.toFixed(0)} writes/s`
  )
})

Effect.runPromise(Effect.scoped(program)).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`)
  process.exit(1)
})
