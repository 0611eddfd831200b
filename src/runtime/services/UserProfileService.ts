/**
 * What the bot knows about each user, and the history of its analyses. `updateUserProfile` takes any profile
 * columns by their column names; every key and value is checked against the profile model first, so an unknown
 * column or a value of the wrong kind is an `InvalidInput` that never reaches SQL.
 */
import { Context, Effect, Layer, Option, Schema } from "effect"
import { AlreadyExists, InvalidInput, NotFound, type StoreError } from "../domain/Errors.js"
import { JsonInput } from "../domain/JsonInput.js"
import { limitOr, pageFields } from "../domain/PageLimits.js"
import type { UserAnalysisHistory } from "../domain/UserAnalysisHistory.js"
import {
  protectedProfileColumns,
  type UserProfile,
  type UserProfileColumn,
  userProfileColumns,
  UserProfileUpdates
} from "../domain/UserProfile.js"
import { IdGenerator } from "./IdGenerator.js"
import { NonBlankString, nowSeconds, validate } from "./internal/validate.js"
import { StoreRouter } from "./StoreRouter.js"

export const CreateUserProfileInput = Schema.Struct({
  userId: NonBlankString("userId"),
  username: Schema.String
})
export type CreateUserProfileInput = typeof CreateUserProfileInput.Encoded

/** At most 100 profiles unless told otherwise (contract K9). */
export const NeedingAnalysisInput = Schema.Struct({
  /** Only users with at least this many messages (default 0). */
  minMessages: Schema.optional(Schema.Int.pipe(Schema.nonNegative())),
  limit: pageFields(100).limit
})

/** At most 1000 profiles unless told otherwise: callers treat the default as "every user" (contract K9). */
export const AllProfilesInput = Schema.Struct(pageFields(1000))

export const SaveAnalysisInput = Schema.Struct({
  userId: NonBlankString("userId"),
  /** JSON text, as the bot passes it, or a JSON value: either way the same JSON is stored. */
  feelingsSnapshot: Schema.optional(JsonInput),
  personalitySnapshot: Schema.optional(JsonInput),
  messageCountAtAnalysis: Schema.optional(Schema.NullOr(Schema.Int.pipe(Schema.nonNegative()))),
  changesSummary: Schema.optional(Schema.NullOr(Schema.String)),
  /** Epoch seconds; defaults to now. */
  analysisTimestamp: Schema.optional(Schema.Int)
})
export type SaveAnalysisInput = typeof SaveAnalysisInput.Encoded

export interface UserProfileServiceShape {
  readonly getUserProfile: (userId: string) => Effect.Effect<Option.Option<UserProfile>, StoreError>
  /** Fails with `AlreadyExists` when the user has a profile. */
  readonly createUserProfile: (
    input: CreateUserProfileInput
  ) => Effect.Effect<UserProfile, InvalidInput | AlreadyExists | StoreError>
  /**
   * Sets the given columns (by column name) and bumps `updated_at`. A key whose value is `undefined` is skipped
   * (`null` clears the column); `updated_at` itself is the service's and a caller's value is ignored. With
   * nothing left to set, nothing is written.
   */
  readonly updateUserProfile: (
    userId: string,
    updates: Readonly<Record<string, unknown>>
  ) => Effect.Effect<void, InvalidInput | NotFound | StoreError>
  /** The user's profile, created first if there is none; concurrent first calls all get the same profile. */
  readonly getOrCreateUserProfile: (
    userId: string,
    username: string
  ) => Effect.Effect<UserProfile, InvalidInput | AlreadyExists | StoreError>
  /**
   * Profiles never analysed, or that interacted after their last analysis (an analysis in the same second counts
   * as up to date), the most recent interaction first. A number is the limit.
   */
  readonly getUsersNeedingAnalysis: (
    options?: number | null | typeof NeedingAnalysisInput.Encoded
  ) => Effect.Effect<ReadonlyArray<UserProfile>, InvalidInput | StoreError>
  readonly saveAnalysisHistory: (
    input: SaveAnalysisInput
  ) => Effect.Effect<UserAnalysisHistory, InvalidInput | NotFound | StoreError>
  /** Newest first (10 unless told otherwise). */
  readonly getAnalysisHistory: (
    userId: string,
    limit?: number | null
  ) => Effect.Effect<ReadonlyArray<UserAnalysisHistory>, InvalidInput | StoreError>
  /** Counts one more message and marks the interaction time; returns the new count. */
  readonly incrementMessageCount: (userId: string) => Effect.Effect<number, NotFound | StoreError>
  /** The most recent interaction first. A number is the limit. */
  readonly getAllUserProfiles: (
    options?: number | null | typeof AllProfilesInput.Encoded
  ) => Effect.Effect<ReadonlyArray<UserProfile>, InvalidInput | StoreError>
}

export class UserProfileService extends Context.Tag("@repo/database/UserProfileService")<
  UserProfileService,
  UserProfileServiceShape
>() {}

const emptyProfile = (id: string, userId: string, username: string, now: number): UserProfile => {
  const row: Record<string, unknown> = {}
  for (const name of Object.keys(userProfileColumns)) row[name] = null
  return {
    ...(row as UserProfile),
    id,
    user_id: userId,
    username,
    appearance_confidence: 0,
    first_seen_at: now,
    last_interaction_at: now,
    message_count: 0,
    created_at: now,
    updated_at: now
  }
}

const checkUpdateKeys = (keys: ReadonlyArray<string>): Effect.Effect<void, InvalidInput> => {
  // Own keys only: `in` would take `constructor`, `toString` or `__proto__` for columns (contract F6).
  const unknown = keys.filter((k) => !Object.hasOwn(userProfileColumns, k))
  const protectedKeys = keys.filter((k) => protectedProfileColumns.includes(k as UserProfileColumn))
  if (unknown.length > 0) {
    return Effect.fail(
      new InvalidInput({
        operation: "updateUserProfile",
        message: `updateUserProfile: unknown profile column(s): ${unknown.join(", ")}`
      })
    )
  }
  if (protectedKeys.length > 0) {
    return Effect.fail(
      new InvalidInput({
        operation: "updateUserProfile",
        message: `updateUserProfile: column(s) maintained by the service cannot be set: ${protectedKeys.join(", ")}`
      })
    )
  }
  return Effect.void
}

export const make = Effect.gen(function* () {
  const router = yield* StoreRouter
  const ids = yield* IdGenerator

  /** A new, empty profile unless the user has one: the insert decides, not an earlier read, so races are safe (F9). */
  const insertIfAbsent = (operation: string, raw: CreateUserProfileInput) =>
    Effect.gen(function* () {
      const input = yield* validate(CreateUserProfileInput, operation)(raw)
      const row = emptyProfile(yield* ids.next, input.userId, input.username, yield* nowSeconds)
      const result = yield* router.write({ _tag: "InsertProfile", row, ifAbsent: true })
      return { row, inserted: result.rowsAffected > 0 }
    })

  const alreadyExists = (userId: string) => new AlreadyExists({ entity: "user profile", key: userId })

  const createUserProfile = (raw: CreateUserProfileInput) =>
    Effect.flatMap(insertIfAbsent("createUserProfile", raw), ({ inserted, row }) =>
      inserted ? Effect.succeed(row) : Effect.fail(alreadyExists(row.user_id))
    )

  const updateUserProfile = (userId: string, updates: Readonly<Record<string, unknown>>) =>
    Effect.gen(function* () {
      if (typeof updates !== "object" || updates === null || Array.isArray(updates)) {
        return yield* new InvalidInput({ operation: "updateUserProfile", message: "updates must be an object" })
      }
      // The service owns updated_at: a caller's value (the bot never sends one) is dropped rather than refused.
      const entries = Object.entries(updates).filter(([key]) => key !== "updated_at")
      yield* checkUpdateKeys(entries.map(([key]) => key))
      const given = entries.filter(([, value]) => value !== undefined)
      if (given.length === 0) return
      const set = yield* validate(UserProfileUpdates, "updateUserProfile")(Object.fromEntries(given))
      const updatedAt = yield* nowSeconds
      const result = yield* router.write({ _tag: "UpdateProfile", userId, set: { ...set, updated_at: updatedAt } })
      if (result.rowsAffected === 0) return yield* new NotFound({ entity: "user profile", key: userId })
    })

  const getOrCreateUserProfile = (userId: string, username: string) =>
    Effect.gen(function* () {
      // Nearly every call finds the profile: read first rather than write on every message.
      const existing = yield* router.read.getUserProfile(userId)
      if (Option.isSome(existing)) return existing.value
      const { inserted, row } = yield* insertIfAbsent("getOrCreateUserProfile", { userId, username })
      // Whoever inserted it, every concurrent first call reads the one stored profile.
      const stored = yield* router.read.getUserProfile(userId)
      if (Option.isSome(stored)) return stored.value
      // Reads served by a shadow may not see another caller's insert yet; ours they wait for.
      return inserted ? row : yield* alreadyExists(userId)
    })

  // The bot passes the limit alone: `getUsersNeedingAnalysis(100)`, `getAllUserProfiles()`.
  const limitOptions = <O extends object>(raw: number | null | undefined | O) =>
    typeof raw === "object" && raw !== null ? raw : { limit: raw }

  const getUsersNeedingAnalysis = (raw?: number | null | typeof NeedingAnalysisInput.Encoded) =>
    Effect.gen(function* () {
      const input = yield* validate(NeedingAnalysisInput, "getUsersNeedingAnalysis")(limitOptions(raw))
      return yield* router.read.usersNeedingAnalysis({ minMessages: input.minMessages ?? 0, limit: input.limit })
    })

  const saveAnalysisHistory = (raw: SaveAnalysisInput) =>
    Effect.gen(function* () {
      const input = yield* validate(SaveAnalysisInput, "saveAnalysisHistory")(raw)
      const now = yield* nowSeconds
      const row: UserAnalysisHistory = {
        id: yield* ids.next,
        user_id: input.userId,
        analysis_timestamp: input.analysisTimestamp ?? now,
        feelings_snapshot: input.feelingsSnapshot ?? null,
        personality_snapshot: input.personalitySnapshot ?? null,
        message_count_at_analysis: input.messageCountAtAnalysis ?? null,
        changes_summary: input.changesSummary ?? null,
        created_at: now
      }
      const result = yield* router.write({ _tag: "InsertAnalysisHistory", row })
      if (result.rowsAffected === 0) return yield* new NotFound({ entity: "user profile", key: input.userId })
      return row
    })

  const getAnalysisHistory = (userId: string, limit?: number | null) =>
    Effect.flatMap(validate(limitOr(10), "getAnalysisHistory")(limit), (n) => router.read.analysisHistory(userId, n))

  const incrementMessageCount = (userId: string) =>
    Effect.gen(function* () {
      const at = yield* nowSeconds
      const result = yield* router.write({ _tag: "IncrementMessageCount", userId, at })
      if (result.rowsAffected === 0) return yield* new NotFound({ entity: "user profile", key: userId })
      return result.replicate._tag === "UpdateProfile" ? (result.replicate.set.message_count ?? 0) : 0
    })

  const getAllUserProfiles = (raw?: number | null | typeof AllProfilesInput.Encoded) =>
    Effect.flatMap(validate(AllProfilesInput, "getAllUserProfiles")(limitOptions(raw)), router.read.allUserProfiles)

  return UserProfileService.of({
    getUserProfile: router.read.getUserProfile,
    createUserProfile,
    updateUserProfile,
    getOrCreateUserProfile,
    getUsersNeedingAnalysis,
    saveAnalysisHistory,
    getAnalysisHistory,
    incrementMessageCount,
    getAllUserProfiles
  })
})

export const layer = Layer.effect(UserProfileService, make)
