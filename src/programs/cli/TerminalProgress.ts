/**
 * Progress bars on stderr, one per table (rows done of total, rate, elapsed), when stderr is a terminal; nothing
 * otherwise, so logs and pipes stay clean. Stdout is left to the summary.
 */
import cliProgress from "cli-progress"
import { Effect, Layer } from "effect"
import { Progress, type ProgressShape, type TableProgress } from "../data/Progress.js"

const terminal = Effect.acquireRelease(
  Effect.sync(() => {
    const bars = new cliProgress.MultiBar(
      {
        format: " {table} {bar} {value}/{total} rows | {rate} rows/s | {duration_formatted}",
        barsize: 30,
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
        stream: process.stderr
      },
      cliProgress.Presets.shades_classic
    )
    const progress: ProgressShape = {
      table: (table, total) =>
        Effect.sync((): TableProgress => {
          const started = performance.now()
          const bar = bars.create(Math.max(total, 0), 0, { table: table.padEnd(22), rate: "0" })
          let done = 0
          const rate = () =>
            Math.round(done / Math.max((performance.now() - started) / 1000, 0.001)).toLocaleString("en-US")
          return {
            advance: (rows) =>
              Effect.sync(() => {
                done += rows
                // The source may have grown since it was counted (the bot keeps writing).
                if (done > bar.getTotal()) bar.setTotal(done)
                bar.update(done, { rate: rate() })
              }),
            done: Effect.sync(() => {
              bar.setTotal(done)
              bar.update(done, { rate: rate() })
            })
          }
        })
    }
    return { bars, progress }
  }),
  ({ bars }) => Effect.sync(() => bars.stop())
)

/** Bars when stderr is a terminal, silence otherwise. */
export const TerminalProgressLive: Layer.Layer<Progress> = Layer.scoped(
  Progress,
  process.stderr.isTTY
    ? Effect.map(terminal, ({ progress }) => progress)
    : Effect.succeed<ProgressShape>({ table: () => Effect.succeed({ advance: () => Effect.void, done: Effect.void }) })
)
