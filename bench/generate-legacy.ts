/**
 * Generates a legacy SQLite database (the bot's production schema) for benchmarks and demos.
 *
 *   npx tsx bench/generate-legacy.ts --out bench/.data/legacy-200k.db --messages 200000 [--form full|early]
 *     [--seed 42] [--quirks] [--skewed]
 */
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect } from "effect"
import { parseArgs } from "node:util"
import {
  generateLegacyDatabase,
  LegacyGeneratorError,
  type LegacyGeneratorOptions
} from "../src/testkit/LegacyDatabaseGenerator.js"

const usage =
  "usage: npx tsx bench/generate-legacy.ts --out <file.db> --messages <n> [--form full|early] [--seed <n>] [--quirks] [--skewed]"

const parseOptions = Effect.try({
  try: (): LegacyGeneratorOptions => {
    const { values } = parseArgs({
      options: {
        out: { type: "string" },
        messages: { type: "string" },
        form: { type: "string", default: "full" },
        seed: { type: "string" },
        quirks: { type: "boolean", default: false },
        skewed: { type: "boolean", default: false }
      },
      strict: true
    })
    const messages = Number(values.messages)
    const seed = values.seed === undefined ? undefined : Number(values.seed)
    if (values.out === undefined || !Number.isSafeInteger(messages) || messages < 0) throw new Error(usage)
    const form = values.form
    if (form !== "full" && form !== "early") throw new Error(`--form must be full or early\n${usage}`)
    if (seed !== undefined && !Number.isSafeInteger(seed)) throw new Error(`--seed must be an integer\n${usage}`)
    return {
      path: values.out,
      form,
      messages,
      quirks: values.quirks,
      skewed: values.skewed,
      ...(seed === undefined ? {} : { seed })
    }
  },
  catch: (cause) => new LegacyGeneratorError({ message: cause instanceof Error ? cause.message : String(cause), cause })
})

const program = Effect.gen(function* () {
  const options = yield* parseOptions
  const started = performance.now()
  const summary = yield* generateLegacyDatabase(options)
  const seconds = (performance.now() - started) / 1000
  yield* Console.log(
    `generated ${summary.path} (form ${summary.form}, seed ${summary.seed}) in ${seconds.toFixed(2)} s`
  )
  for (const [table, count] of Object.entries(summary.counts)) {
    yield* Console.log(`  ${table.padEnd(24)} ${String(count).padStart(10)}`)
  }
  if (summary.quirks.length > 0) {
    yield* Console.log(`planted ${summary.quirks.length} quirks:`)
    for (const q of summary.quirks)
      yield* Console.log(`  ${q.kind.padEnd(30)} ${q.table}.${q.column} ${q.id}: ${q.detail}`)
  }
  const rate = Math.round(options.messages / seconds)
  yield* Console.log(`${rate.toLocaleString("en-US")} messages/s`)
})

NodeRuntime.runMain(program)
