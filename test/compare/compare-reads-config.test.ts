import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Duration, Effect, Either, Layer } from "effect"
import { compareReadsOptions } from "../../src/runtime/compare/CompareReadsConfig.js"
import * as ReadComparison from "../../src/runtime/compare/ReadComparison.js"

const withEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

describe("compare reads configuration", () => {
  it.effect("is off by default", () =>
    Effect.gen(function* () {
      const options = yield* compareReadsOptions.pipe(withEnv({}))
      expect(options.sampleRate).toBe(0)
      expect(options.maxInFlight).toBe(8)
      expect(Duration.toMillis(options.timeout)).toBe(5000)
      expect(Duration.toMillis(options.recheckAfter)).toBe(250)
    })
  )

  it.effect("reads COMPARE_READS_* and rejects out-of-range values naming the variable", () =>
    Effect.gen(function* () {
      const options = yield* compareReadsOptions.pipe(
        withEnv({
          COMPARE_READS_SAMPLE_RATE: "0.05",
          COMPARE_READS_MAX_IN_FLIGHT: "3",
          COMPARE_READS_TIMEOUT_MS: "800",
          COMPARE_READS_RECHECK_MS: "0"
        })
      )
      expect(options).toMatchObject({ sampleRate: 0.05, maxInFlight: 3 })
      expect(Duration.toMillis(options.timeout)).toBe(800)
      expect(Duration.toMillis(options.recheckAfter)).toBe(0)
      const invalid: ReadonlyArray<Record<string, string>> = [
        { COMPARE_READS_SAMPLE_RATE: "1.5" },
        { COMPARE_READS_SAMPLE_RATE: "-0.1" },
        { COMPARE_READS_SAMPLE_RATE: "half" },
        { COMPARE_READS_MAX_IN_FLIGHT: "0" },
        { COMPARE_READS_TIMEOUT_MS: "-1" }
      ]
      for (const env of invalid) {
        const result = yield* Effect.either(compareReadsOptions.pipe(withEnv(env)))
        expect(Either.isLeft(result), JSON.stringify(env)).toBe(true)
        if (Either.isLeft(result)) expect(String(result.left)).toContain(Object.keys(env)[0])
      }
    })
  )

  it.scoped("the layer takes its options from the environment", () =>
    Effect.gen(function* () {
      const comparison = yield* ReadComparison.ReadComparison.pipe(
        Effect.provide(
          ReadComparison.layerConfig.pipe(
            Layer.provide(
              Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["COMPARE_READS_SAMPLE_RATE", "0.5"]])))
            )
          )
        )
      )
      expect(comparison.options.sampleRate).toBe(0.5)
      expect(yield* comparison.snapshot).toMatchObject({
        compared: 0,
        mismatched: 0,
        errors: 0,
        skipped: 0,
        inFlight: 0
      })
    })
  )
})
