/**
 * What the bot knows about each user, and the history of its analyses. `updateUserProfile` takes any profile
 * columns by their column names; every key and value is checked against the profile model first, so an unknown
 * column or a value of the wrong kind is an `InvalidInput` that never reaches SQL.
 */
import { Context, Effect, Layer, Option, Schema } from "effect"
import { InvalidInput, NotFound, type StoreError } from "../domain/Errors.js"
import { JsonValue } from "../domain/JsonValue.js"
import { defaultLimit, Paging } from "../domain/MessageFilter.js"
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

export const NeedingAnalysisInput = Schema.Struct({
  /** Profiles not analysed for this long (default one day), or never, need analysis. */
  olderThanSeconds: Schema.optional(Schema.Int.pipe(Schema.nonNegative())),
  /** Only users with at least this many messages (default 0). */
  minMessages: Schema.optional(Schema.Int.pipe(Schema.nonNegative())),
  limit: Paging.fields.limit
})

export const SaveAnalysisInput = Schema.Struct({
  userId: NonBlankString("userId"),
  feelingsSnapshot: Schema.optional(JsonValue),
  personalitySnapshot: Schema.optional(JsonValue),
  messageCountAtAnalysis: Schema.optional(Schema.NullOr(Schema.Int.pipe(Schema.nonNegative()))),
  changesSummary: Schema.optional(Schema.NullOr(Schema.String)),
  /** Epoch seconds; defaults to now. */
  analysisTimestamp: Schema.optional(Schema.Int)
})
export type SaveAnalysisInput = typeof SaveAnalysisInput.Encoded

export interface UserProfileServiceShape {
  readonly getUserProfile: (userId: string) => Effect.Effect<Option.Option<UserProfile>, StoreError>
  readonly createUserProfile: (input: CreateUserProfileInput) => Effect.Effect<UserProfile, InvalidInput | StoreError>
  /** Sets the given columns (by column name) and bumps `updated_at`. */
  readonly updateUserProfile: (
    userId: string,
    updates: Readonly<Record<string, unknown>>
  ) => Effect.Effect<void, InvalidInput | NotFound | StoreError>
  readonly getOrCreateUserProfile: (
    userId: string,
    username: string
  ) => Effect.Effect<UserProfile, InvalidInput | StoreError>
  /** Never-analysed profiles first, then the longest ago. */
  readonly getUsersNeedingAnalysis: (
    options?: typeof NeedingAnalysisInput.Encoded
  ) => Effect.Effect<ReadonlyArray<UserProfile>, InvalidInput | StoreError>
  readonly saveAnalysisHistory: (
    input: SaveAnalysisInput
  ) => Effect.Effect<UserAnalysisHistory, InvalidInput | NotFound | StoreError>
  /** Newest first. */
  readonly getAnalysisHistory: (
    userId: string,
    limit?: number
  ) => Effect.Effect<ReadonlyArray<UserAnalysisHistory>, InvalidInput | StoreError>
  /** Counts one more message and marks the interaction time; returns the new count. */
  readonly incrementMessageCount: (userId: string) => Effect.Effect<number, NotFound | StoreError>
  readonly getAllUserProfiles: (
    options?: typeof Paging.Encoded
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

const checkUpdateKeys = (updates: Readonly<Record<string, unknown>>): Effect.Effect<void, InvalidInput> => {
  const keys = Object.keys(updates)
  const unknown = keys.filter((k) => !(k in userProfileColumns))
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

  const createUserProfile = (raw: CreateUserProfileInput) =>
    Effect.gen(function* () {
      const input = yield* validate(CreateUserProfileInput, "createUserProfile")(raw)
      const row = emptyProfile(yield* ids.next, input.userId, input.username, yield* nowSeconds)
      yield* router.write({ _tag: "InsertProfile", row })
      return row
    })

  const updateUserProfile = (userId: string, updates: Readonly<Record<string, unknown>>) =>
    Effect.gen(function* () {
      if (typeof updates !== "object" || updates === null) {
        return yield* new InvalidInput({ operation: "updateUserProfile", message: "updates must be an object" })
      }
      yield* checkUpdateKeys(updates)
      const set = yield* validate(UserProfileUpdates, "updateUserProfile")(updates)
      const updatedAt = yield* nowSeconds
      const result = yield* router.write({ _tag: "UpdateProfile", userId, set: { ...set, updated_at: updatedAt } })
      if (result.rowsAffected === 0) return yield* new NotFound({ entity: "user profile", key: userId })
    })

  const getOrCreateUserProfile = (userId: string, username: string) =>
    Effect.gen(function* () {
      const existing = yield* router.read.getUserProfile(userId)
      if (Option.isSome(existing)) return existing.value
      return yield* createUserProfile({ userId, username }).pipe(
        // Lost a race with another creator: the profile now exists, return it.
        Effect.catchTag("StoreError", (error) =>
          Effect.flatMap(
            router.read.getUserProfile(userId),
            Option.match({ onNone: () => Effect.fail(error), onSome: Effect.succeed })
          )
        )
      )
    })

  const getUsersNeedingAnalysis = (raw: typeof NeedingAnalysisInput.Encoded = {}) =>
    Effect.gen(function* () {
      const input = yield* validate(NeedingAnalysisInput, "getUsersNeedingAnalysis")(raw)
      const now = yield* nowSeconds
      return yield* router.read.usersNeedingAnalysis({
        analyzedBefore: now - (input.olderThanSeconds ?? 86_400),
        minMessages: input.minMessages ?? 0,
        limit: input.limit ?? defaultLimit
      })
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

  const getAnalysisHistory = (userId: string, limit = 10) =>
    Effect.flatMap(validate(Paging, "getAnalysisHistory")({ limit }), (o) =>
      router.read.analysisHistory(userId, o.limit ?? 10)
    )

  const incrementMessageCount = (userId: string) =>
    Effect.gen(function* () {
      const at = yield* nowSeconds
      const result = yield* router.write({ _tag: "IncrementMessageCount", userId, at })
      if (result.rowsAffected === 0) return yield* new NotFound({ entity: "user profile", key: userId })
      return result.replicate._tag === "UpdateProfile" ? (result.replicate.set.message_count ?? 0) : 0
    })

  const getAllUserProfiles = (raw: typeof Paging.Encoded = {}) =>
    Effect.flatMap(validate(Paging, "getAllUserProfiles")(raw), (o) =>
      router.read.allUserProfiles({ limit: o.limit ?? 1000, offset: o.offset ?? 0 })
    )

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
