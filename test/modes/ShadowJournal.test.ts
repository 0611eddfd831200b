/**
 * The journal on its own: entries replay in issue order whatever order they were recorded in, an entry that still
 * fails keeps every later entry of its aggregate, deletes that find nothing count as done, and a transient error
 * stops the replay with everything kept.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer, Option } from "effect"
import { StoreError } from "../../src/runtime/domain/Errors.js"
import type { UserProfile } from "../../src/runtime/domain/UserProfile.js"
import { userProfileColumns } from "../../src/runtime/domain/UserProfile.js"
import type { WriteOp } from "../../src/runtime/domain/WriteOp.js"
import * as ShadowJournal from "../../src/runtime/modes/ShadowJournal.js"
import { PostgresStore } from "../../src/runtime/store/Store.js"
import { controllableStore, freshDatabases, rawSql } from "./support/ModeFixtures.js"

const profile = (userId: string): UserProfile => {
  const row: Record<string, unknown> = {}
  for (const name of Object.keys(userProfileColumns)) row[name] = null
  return {
    ...(row as UserProfile),
    id: `p-${userId}`,
    user_id: userId,
    username: userId,
    appearance_confidence: 0,
    first_seen_at: 1,
    last_interaction_at: 1,
    message_count: 0,
    created_at: 1,
    updated_at: 1
  }
}

const setCount = (userId: string, n: number): WriteOp => ({ _tag: "UpdateProfile", userId, set: { message_count: n } })

const setup = Effect.gen(function* () {
  const dbs = yield* freshDatabases
  const ctx = yield* Layer.build(dbs.layer)
  const journal = ShadowJournal.make(yield* Effect.provide(rawSql("sqlite"), ctx), "sqlite")
  const postgres = yield* Effect.provide(PostgresStore, ctx)
  const record = (op: WriteOp, issuedAtMicros: number) =>
    journal.record([{ target: "postgres", op, error: "test", attempts: 0, issuedAtMicros }])
  const count = (userId: string) =>
    Effect.map(
      postgres.getUserProfile(userId),
      Option.map((p) => p.message_count)
    )
  return { journal, postgres, record, count }
})

describe("ShadowJournal", () => {
  it.scopedLive("replays in issue order, not in the order entries were recorded", () =>
    Effect.gen(function* () {
      const { count, journal, postgres, record } = yield* setup
      // Recorded out of order (as an overflowed write can be, ahead of an earlier one still in flight).
      yield* record(setCount("ana", 3), 3_000)
      yield* record({ _tag: "InsertProfile", row: profile("ana") }, 1_000)
      yield* record(setCount("ana", 2), 2_000)
      expect(yield* journal.size("postgres")).toBe(3)
      expect(yield* journal.size("sqlite")).toBe(0)
      const listed = yield* journal.list({ target: "postgres" })
      expect(listed.map((e) => e.recordedAtMicros)).toEqual([1_000, 2_000, 3_000])
      expect(yield* ShadowJournal.decodePayload(listed[1]!.payload)).toEqual(setCount("ana", 2))

      const result = yield* journal.replay(postgres)
      expect(result).toMatchObject({ applied: 3, kept: 0, remaining: 0 })
      expect(yield* count("ana")).toEqual(Option.some(3))
      expect(yield* journal.size()).toBe(0)
    })
  )

  it.scopedLive("an entry that still fails keeps its aggregate's later entries; other aggregates go on", () =>
    Effect.gen(function* () {
      const { count, journal, postgres, record } = yield* setup
      yield* record(setCount("ghost", 1), 1) // no such profile on the target: fails
      yield* record({ _tag: "InsertProfile", row: profile("ghost") }, 2) // would succeed, but must wait
      yield* record(setCount("ghost", 5), 3)
      yield* record({ _tag: "InsertProfile", row: profile("bob") }, 4)
      yield* record({ _tag: "DeleteDocument", id: "never-existed" }, 5) // nothing to delete: already holds

      const result = yield* journal.replay(postgres, { pageSize: 2 })
      expect(result).toMatchObject({ applied: 2, kept: 3, remaining: 3 })
      expect(result.failures).toHaveLength(1)
      expect(result.failures[0]).toMatchObject({ aggregateKey: "profile:ghost", operation: "UpdateProfile" })
      expect(yield* count("ghost")).toEqual(Option.none())
      expect(yield* count("bob")).toEqual(Option.some(0))
      const kept = yield* journal.list({ target: "postgres" })
      expect(kept.map((e) => [e.operation, e.attempts])).toEqual([
        ["UpdateProfile", 1],
        ["InsertProfile", 0],
        ["UpdateProfile", 0]
      ])
      expect(kept[0]!.error).toMatch(/no row to change/)

      // Repair drops the impossible entry; the rest replays in order.
      yield* journal.remove([kept[0]!.seq])
      expect(yield* journal.replay(postgres)).toMatchObject({ applied: 2, remaining: 0 })
      expect(yield* count("ghost")).toEqual(Option.some(5))
    })
  )

  it.scopedLive("a transient error stops the replay and keeps every entry", () =>
    Effect.gen(function* () {
      const { journal, postgres, record } = yield* setup
      yield* record({ _tag: "InsertProfile", row: profile("carol") }, 1)
      yield* record(setCount("carol", 2), 2)
      const connectionRefused = new StoreError({
        backend: "postgres",
        operation: "apply",
        message: "connect ECONNREFUSED",
        cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" })
      })
      const down = controllableStore(postgres, { delay: Duration.zero, failWith: Option.some(connectionRefused) })
      const result = yield* journal.replay(down)
      expect(result).toMatchObject({ applied: 0, remaining: 2, stoppedBy: "connect ECONNREFUSED" })
      expect(yield* journal.replay(postgres)).toMatchObject({ applied: 2, remaining: 0 })
    })
  )
})
