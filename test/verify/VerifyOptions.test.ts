/** Verify's options: the primary follows the mode flags, and settings that would check nothing are refused. */
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either } from "effect"
import { resolveVerifyOptions } from "../../src/programs/verify/VerifyOptions.js"

const withEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

describe("verify options", () => {
  it.effect("take the primary from USE_POSTGRES_PRIMARY unless given, strictly", () =>
    Effect.gen(function* () {
      expect((yield* resolveVerifyOptions().pipe(withEnv({}))).primary).toBe("sqlite")
      expect((yield* resolveVerifyOptions().pipe(withEnv({ USE_POSTGRES_PRIMARY: "true" }))).primary).toBe("postgres")
      const given = yield* resolveVerifyOptions({ primary: "sqlite" }).pipe(withEnv({ USE_POSTGRES_PRIMARY: "true" }))
      expect(given.primary).toBe("sqlite")
      const typo = yield* Effect.either(resolveVerifyOptions().pipe(withEnv({ USE_POSTGRES_PRIMARY: "ture" })))
      expect(Either.isLeft(typo)).toBe(true)
    })
  )

  it.effect("refuse a page size that would compare nothing", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(resolveVerifyOptions({ primary: "sqlite", pageSize: 0 }))
      expect(error.message).toContain("pageSize must be an integer of at least 1, got 0")
    })
  )
})
