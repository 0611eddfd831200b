/**
 * The bot's user-profile functions (contract §4.4) with their original names, arguments and row shapes, over
 * UserProfileService on the default database. Only argument names and result shapes are mapped here: a write of a
 * missing profile resolving (K10) is the mapping of the service's `NotFound`, everything else is the service's.
 */
import { Effect, Option } from "effect"
import type { AnyColumn } from "../domain/Column.js"
import type { NotFound } from "../domain/Errors.js"
import type { JsonValue } from "../domain/JsonValue.js"
import { type UserAnalysisHistory, userAnalysisHistoryColumns } from "../domain/UserAnalysisHistory.js"
import { type UserProfile, userProfileColumns } from "../domain/UserProfile.js"
import { UserProfileService } from "../services/UserProfileService.js"
import { toLegacyRow } from "./LegacyRow.js"
import { withService } from "./RunOnDefault.js"

type ProfileColumns = typeof userProfileColumns

/** A column's type as the original declared it: JSON columns are JSON text, 0/1 flags and times are numbers. */
type Declared<C extends AnyColumn> = C["kind"] extends "text" | "json" ? string : number

/** The fields the original interface declares non-optional; every other column is optional (`?:`). */
type RequiredProfileField =
  | "id"
  | "user_id"
  | "username"
  | "appearance_confidence"
  | "first_seen_at"
  | "last_interaction_at"
  | "message_count"
  | "created_at"
  | "updated_at"

type Flatten<T> = { [K in keyof T]: T[K] }

/**
 * A row of `user_profiles` as the original declared it (§3.6): all 116 columns, from the one list of them the
 * package keeps. At run time every column is present and an empty one is `null`; the 14 JSON columns
 * (`feelings_json`, `secondary_archetypes`, ...) are JSON text, every `*_at` column is epoch seconds, and numbers
 * are numbers.
 */
export type UserProfileRecord = Flatten<
  { -readonly [K in RequiredProfileField]: Declared<ProfileColumns[K]> } & {
    -readonly [K in Exclude<keyof ProfileColumns, RequiredProfileField>]?: Declared<ProfileColumns[K]>
  }
>

/**
 * What `updateUserProfile` takes: any profile column but `id`, `user_id` and `created_at`. `undefined` skips a
 * column and `null` clears it; a JSON column takes JSON text (as the bot writes it) or the value itself.
 * `updated_at` is accepted and ignored: the package sets it.
 */
export type UserProfileRecordUpdates = {
  [K in Exclude<keyof ProfileColumns, "id" | "user_id" | "created_at">]?:
    (ProfileColumns[K]["kind"] extends "json" ? string | JsonValue : Declared<ProfileColumns[K]>) | null | undefined
}

/** A row of `user_analysis_history` (§3.7). */
export interface UserAnalysisHistoryRecord {
  id: string
  user_id: string
  /** Epoch seconds. */
  analysis_timestamp: number
  /** JSON text, as it was given. */
  feelings_snapshot?: string
  /** JSON text, as it was given. */
  personality_snapshot?: string
  message_count_at_analysis: number
  changes_summary?: string
  /** Epoch seconds. */
  created_at: number
}

const legacyProfile = toLegacyRow(userProfileColumns)
const toRecord = (row: UserProfile) => legacyProfile(row) as UserProfileRecord
const legacyHistory = toLegacyRow(userAnalysisHistoryColumns)
const toHistoryRecord = (row: UserAnalysisHistory) => legacyHistory(row) as UserAnalysisHistoryRecord

// Writes aimed at a missing profile resolve, as the original's did (K10); the service reports them as NotFound.
const ignoreNotFound = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E | NotFound, R>) =>
  Effect.asVoid(Effect.catchTag(effect, "NotFound", () => Effect.void))

/** The user's profile (by Discord user id), or `null`. */
export async function getUserProfile(userId: string): Promise<UserProfileRecord | null> {
  return withService(UserProfileService, (profiles) =>
    Effect.map(profiles.getUserProfile(userId), (row) => Option.getOrNull(Option.map(row, toRecord)))
  )
}

/** Creates an empty profile; resolves to its id. Rejects with `AlreadyExists` when the user has one. */
export async function createUserProfile(userId: string, username: string): Promise<string> {
  return withService(UserProfileService, (profiles) =>
    Effect.map(profiles.createUserProfile({ userId, username }), (created) => created.id)
  )
}

/**
 * Sets the given columns and `updated_at`. An unknown column (or `id`, `user_id`, `created_at`) rejects with
 * `InvalidInput` before anything is written; an unknown user changes nothing and resolves.
 */
export async function updateUserProfile(userId: string, updates: UserProfileRecordUpdates): Promise<void> {
  return withService(UserProfileService, (profiles) => ignoreNotFound(profiles.updateUserProfile(userId, updates)))
}

/** The user's profile, created empty first if there is none. Concurrent first calls all resolve to the same row. */
export async function getOrCreateUserProfile(userId: string, username: string): Promise<UserProfileRecord> {
  return withService(UserProfileService, (profiles) =>
    Effect.map(profiles.getOrCreateUserProfile(userId, username), toRecord)
  )
}

/**
 * Profiles never analysed or that interacted after their last analysis, the most recent interaction first (100
 * unless `limit` says otherwise; 0, NaN or null mean the default).
 */
export async function getUsersNeedingAnalysis(limit?: number): Promise<Array<UserProfileRecord>> {
  return withService(UserProfileService, (profiles) =>
    Effect.map(profiles.getUsersNeedingAnalysis(limit), (rows) => rows.map(toRecord))
  )
}

/**
 * Records one analysis; the snapshots are kept as the JSON text given. Resolves to the new id; rejects with
 * `NotFound` when the user has no profile.
 */
export async function saveAnalysisHistory(
  userId: string,
  feelingsSnapshot: string,
  personalitySnapshot: string,
  messageCount: number,
  changesSummary?: string
): Promise<string> {
  return withService(UserProfileService, (profiles) =>
    Effect.map(
      profiles.saveAnalysisHistory({
        userId,
        feelingsSnapshot,
        personalitySnapshot,
        messageCountAtAnalysis: messageCount,
        changesSummary
      }),
      (saved) => saved.id
    )
  )
}

/** The user's analyses, newest first (10 unless `limit` says otherwise). */
export async function getAnalysisHistory(userId: string, limit?: number): Promise<Array<UserAnalysisHistoryRecord>> {
  return withService(UserProfileService, (profiles) =>
    Effect.map(profiles.getAnalysisHistory(userId, limit), (rows) => rows.map(toHistoryRecord))
  )
}

/** Counts one more message and marks the interaction time; an unknown user changes nothing and resolves. */
export async function incrementMessageCount(userId: string): Promise<void> {
  return withService(UserProfileService, (profiles) => ignoreNotFound(profiles.incrementMessageCount(userId)))
}

/** Every profile, the most recent interaction first (1000 unless `limit` says otherwise). */
export async function getAllUserProfiles(limit?: number): Promise<Array<UserProfileRecord>> {
  return withService(UserProfileService, (profiles) =>
    Effect.map(profiles.getAllUserProfiles(limit), (rows) => rows.map(toRecord))
  )
}
