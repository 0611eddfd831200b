/**
 * The bot's user-profile functions through the package root, on SQLite and on PostgreSQL: the recorded run of the
 * original (contract Appendix A), the corrected behaviours (F5, F6, F7, F9, F13, K9/F4 limits) and the same
 * answers whichever backend holds the profiles.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  AlreadyExists,
  createUserProfile,
  getAllUserProfiles,
  getAnalysisHistory,
  getOrCreateUserProfile,
  getUserProfile,
  getUsersNeedingAnalysis,
  incrementMessageCount,
  InvalidInput,
  NotFound,
  saveAnalysisHistory,
  updateUserProfile,
  userAnalysisHistoryColumns,
  userProfileColumns,
  type UserProfileRecord
} from "../../src/index.js"
import { jsonText } from "../../src/runtime/contract/JsonText.js"
import { type BackendName, backends, pause, useDefaultDatabase } from "./support/DefaultDatabaseEnv.js"

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error
  )

const nowSeconds = () => Math.floor(Date.now() / 1000)

const jsonColumns = new Set(
  [...Object.entries(userProfileColumns), ...Object.entries(userAnalysisHistoryColumns)]
    .filter(([, column]) => column.kind === "json")
    .map(([name]) => name)
)

/**
 * A row without what differs by run: ids and times (checked separately to be epoch seconds). JSON text is compared
 * parsed: PostgreSQL's JSONB keeps the JSON but not the key order it was written in (see the SQLite-only check).
 */
const portable = (row: object) =>
  Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key,
      key === "id"
        ? "<id>"
        : key.endsWith("_at") || key === "analysis_timestamp"
          ? typeof value
          : jsonColumns.has(key) && typeof value === "string"
            ? (JSON.parse(value) as unknown)
            : value
    ])
  )

const profileOf = async (userId: string): Promise<UserProfileRecord> => {
  const profile = await getUserProfile(userId)
  if (profile === null) throw new Error(`no profile for ${userId}`)
  return profile
}

// userProfileAnalysis.ts:253 passes JSON.stringify of the bot's UserFeelings and PersonalityFacets.
const feelings = {
  sentiment: "positive",
  trustLevel: 80,
  affinityScore: 72.5,
  thoughts: "likes pizza",
  facets: ["curious"],
  notablePatterns: [],
  lastUpdated: "2025-01-01T00:00:00.000Z"
}
const personality = {
  dominantArchetypes: ["Hero"],
  bigFiveTraits: { openness: 80 },
  communicationStyle: { formality: "casual", assertiveness: "balanced", engagement: "high" },
  quirks: []
}

const transcripts: Partial<Record<BackendName, unknown>> = {}

for (const backend of backends) {
  describe(`${backend}: the bot's user-profile functions`, () => {
    useDefaultDatabase(backend)

    it("Appendix A: profiles, updates, analysis history, who needs analysis, everyone", async () => {
      expect(await getUserProfile("nobody")).toBeNull()

      const before = nowSeconds()
      const u1 = await getOrCreateUserProfile("u1", "alice")
      expect(Object.keys(u1)).toEqual(Object.keys(userProfileColumns))
      expect(Object.keys(u1)).toHaveLength(116)
      expect(u1.message_count).toBe(0)
      expect(u1.appearance_confidence).toBe(0)
      expect(u1.feelings_json).toBeNull()
      // K5: every column present, null when empty.
      expect(Object.values(u1).filter((v) => v === undefined)).toEqual([])
      expect(u1.omega_thoughts).toBeNull()
      // K11: the four timestamps are now, in seconds.
      for (const at of [u1.first_seen_at, u1.last_interaction_at, u1.created_at, u1.updated_at]) {
        expect(at).toBeGreaterThanOrEqual(before)
        expect(at).toBeLessThanOrEqual(nowSeconds())
      }

      expect(await incrementMessageCount("u1")).toBeUndefined()
      expect(await incrementMessageCount("ghost")).toBeUndefined()
      expect((await profileOf("u1")).message_count).toBe(1)

      const now = nowSeconds()
      expect(
        await updateUserProfile("u1", {
          username: "alice",
          message_count: 12,
          last_analyzed_at: now - 3600,
          feelings_json: JSON.stringify(feelings),
          secondary_archetypes: '["Hero"]',
          affinity_score: 72.5,
          // @ts-expect-error the recorded run (plain JS) passed numeric text; the declared type is number
          trust_level: "80",
          dominant_archetype: null
        })
      ).toBeUndefined()
      const updated = await profileOf("u1")
      expect(typeof updated.feelings_json).toBe("string")
      expect(JSON.parse(updated.feelings_json!)).toEqual(feelings)
      expect((JSON.parse(updated.feelings_json!) as typeof feelings).affinityScore).toBe(72.5)
      expect(updated.secondary_archetypes).toBe('["Hero"]')
      expect(updated.affinity_score).toBe(72.5)
      expect(updated.trust_level).toBe(80)
      expect(updated.message_count).toBe(12)
      expect(updated.dominant_archetype).toBeNull()
      expect(updated.last_analyzed_at).toBe(now - 3600)

      // F6: an unknown column is a typed error before any SQL, not "no such column".
      const bogus = await rejection(updateUserProfile("u1", { bogus_column: 1 } as never))
      expect(bogus).toBeInstanceOf(InvalidInput)
      expect((bogus as InvalidInput).message).toContain("bogus_column")
      expect(await updateUserProfile("ghost", { omega_thoughts: "x" })).toBeUndefined()
      expect(await getUserProfile("ghost")).toBeNull()

      const feelingsText = JSON.stringify(feelings)
      const personalityText = JSON.stringify(personality)
      const historyId = await saveAnalysisHistory("u1", feelingsText, personalityText, 12, "first")
      expect(typeof historyId).toBe("string")
      const history = await getAnalysisHistory("u1")
      expect(history).toHaveLength(1)
      expect(history[0]!.id).toBe(historyId)
      expect(typeof history[0]!.feelings_snapshot).toBe("string")
      expect(JSON.parse(history[0]!.feelings_snapshot!)).toEqual(feelings)
      expect(JSON.parse(history[0]!.personality_snapshot!)).toEqual(personality)
      expect(history[0]!.message_count_at_analysis).toBe(12)
      expect(history[0]!.changes_summary).toBe("first")
      // The same text from both backends: the bot's JSON re-serialised with JSONB's key order.
      expect(history[0]!.feelings_snapshot).toBe(jsonText(JSON.parse(feelingsText)))
      expect(history[0]!.personality_snapshot).toBe(jsonText(JSON.parse(personalityText)))
      expect(updated.feelings_json).toBe(jsonText(JSON.parse(feelingsText)))

      // u1 analysed an hour ago and interacted since; u2 analysed after its last interaction; a0 analysed in the
      // same second as its last interaction (counts as up to date).
      await incrementMessageCount("u1")
      await getOrCreateUserProfile("u2", "bob")
      await updateUserProfile("u2", { last_interaction_at: now - 120, last_analyzed_at: now - 60 })
      await getOrCreateUserProfile("a0", "a0")
      await updateUserProfile("a0", { last_interaction_at: now - 300, last_analyzed_at: now - 300 })
      const needing = await getUsersNeedingAnalysis(100)
      expect(needing.map((p) => p.user_id)).toEqual(["u1"])

      const hundred = await getAllUserProfiles(100)
      const all = await getAllUserProfiles()
      expect(hundred.map((p) => p.user_id)).toEqual(["u1", "u2", "a0"])
      expect(all.map((p) => p.user_id)).toEqual(["u1", "u2", "a0"])
      // The artifact server's /api/profiles-full mapping.
      const archetypes = all.map((p) =>
        p.secondary_archetypes ? (JSON.parse(p.secondary_archetypes) as unknown) : null
      )
      expect(archetypes).toEqual([["Hero"], null, null])

      transcripts[backend] = {
        created: portable(u1),
        updated: portable(updated),
        history: history.map(portable),
        needing: needing.map(portable),
        all: all.map(portable)
      }
    })

    it("F6: prototype keys, SQL in keys and the identity columns are refused; updated_at is the package's", async () => {
      await createUserProfile("f6", "Fay")
      const original = await profileOf("f6")
      const hostile: ReadonlyArray<Record<string, unknown>> = [
        JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>,
        { constructor: "x" },
        { toString: "x" },
        { hasOwnProperty: "x" },
        { valueOf: 1 },
        { "username = 'pwned', omega_thoughts": "x" },
        { id: "other-id" },
        { user_id: "other-user" },
        { created_at: 1 },
        // One bad key spoils the whole update: nothing of it is written.
        { omega_thoughts: "half", constructor: "x" }
      ]
      for (const updates of hostile) {
        const error = await rejection(updateUserProfile("f6", updates))
        expect(error, JSON.stringify(Object.keys(updates))).toBeInstanceOf(InvalidInput)
      }
      expect(await profileOf("f6")).toEqual(original)
      expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined()

      // A caller's updated_at is dropped; the package sets its own.
      await updateUserProfile("f6", { omega_thoughts: "kind", updated_at: 5 })
      const read = await profileOf("f6")
      expect(read.omega_thoughts).toBe("kind")
      expect(read.updated_at).toBeGreaterThanOrEqual(original.updated_at)
    })

    it("K12: undefined is skipped, null clears, username, message_count and last_*_at are writable", async () => {
      await createUserProfile("k12", "Kai")
      await updateUserProfile("k12", { ai_appearance_description: "tall", shadow_archetype: "Trickster" })
      await updateUserProfile("k12", {
        username: "Kai 2",
        message_count: 40,
        last_photo_analyzed_at: 1_700_000_000,
        last_prediction_at: 1_700_000_100,
        ai_appearance_description: null,
        shadow_archetype: undefined,
        distinctive_features: undefined
      })
      const read = await profileOf("k12")
      expect(read.username).toBe("Kai 2")
      expect(read.message_count).toBe(40)
      expect(read.last_photo_analyzed_at).toBe(1_700_000_000)
      expect(read.last_prediction_at).toBe(1_700_000_100)
      expect(read.ai_appearance_description).toBeNull()
      expect(read.shadow_archetype).toBe("Trickster")
      expect(read.distinctive_features).toBeNull()
      // Nothing but undefined: nothing to do, and a missing user is no error either.
      expect(await updateUserProfile("k12", { omega_thoughts: undefined })).toBeUndefined()
      expect(await updateUserProfile("ghost", {})).toBeUndefined()
    })

    it("F7: a JSON column takes JSON text or a value, and reads back as JSON text", async () => {
      await createUserProfile("f7", "Flo")
      await updateUserProfile("f7", {
        primary_interests: ["rust", "go"],
        uploaded_photo_metadata: { filename: "me.png", upload_date: 1_700_000_000_000, file_size: 1024 },
        expertise_areas: '["databases"]',
        cultural_values: "[]"
      })
      const read = await profileOf("f7")
      expect(read.primary_interests).toBe('["rust","go"]')
      expect(read.expertise_areas).toBe('["databases"]')
      expect(read.cultural_values).toBe("[]")
      expect(JSON.parse(read.uploaded_photo_metadata!)).toEqual({
        filename: "me.png",
        upload_date: 1_700_000_000_000,
        file_size: 1024
      })
    })

    it("F9: concurrent first calls resolve to one profile; a second createUserProfile is AlreadyExists", async () => {
      const racers = await Promise.all(Array.from({ length: 8 }, () => getOrCreateUserProfile("f9", "Finn")))
      expect(new Set(racers.map((p) => p.id)).size).toBe(1)
      expect(racers.every((p) => p.user_id === "f9" && p.message_count === 0)).toBe(true)
      const again = await rejection(createUserProfile("f9", "Finn"))
      expect(again).toBeInstanceOf(AlreadyExists)
      expect((again as AlreadyExists).message).toBe("user profile f9 already exists")
      // An existing profile is returned unchanged (the username is not refreshed).
      expect((await getOrCreateUserProfile("f9", "Other")).username).toBe("Finn")
      const id = await createUserProfile("f9-new", "New")
      expect((await profileOf("f9-new")).id).toBe(id)
    })

    it("F13: history for a user without a profile is NotFound, naming the profile, not SQL", async () => {
      const error = await rejection(saveAnalysisHistory("nobody-here", "{}", "{}", 0))
      expect(error).toBeInstanceOf(NotFound)
      expect((error as NotFound).message).toBe("user profile nobody-here not found")
    })

    it("F5: analyses saved in the same second come back newest first", async () => {
      await createUserProfile("f5", "Five")
      for (const summary of ["first", "second", "third"]) await saveAnalysisHistory("f5", "{}", "{}", 1, summary)
      expect((await getAnalysisHistory("f5")).map((h) => h.changes_summary)).toEqual(["third", "second", "first"])
      expect((await getAnalysisHistory("f5", 1)).map((h) => h.changes_summary)).toEqual(["third"])
      const noSummary = await saveAnalysisHistory("f5", "{}", "{}", 2)
      expect((await getAnalysisHistory("f5"))[0]).toMatchObject({ id: noSummary, changes_summary: null })
    })

    it("K9, F4: limits default when 0, NaN or null, reject when negative or fractional", async () => {
      await createUserProfile("k9", "Nine")
      for (let i = 0; i < 11; i++) await saveAnalysisHistory("k9", "{}", "{}", i)
      expect(await getAnalysisHistory("k9")).toHaveLength(10)
      expect(await getAnalysisHistory("k9", 0)).toHaveLength(10)
      expect(await getAnalysisHistory("k9", Number.NaN)).toHaveLength(10)
      expect(await getAnalysisHistory("k9", 1_000_000)).toHaveLength(11)
      const everyone = (await getAllUserProfiles()).length
      expect(everyone).toBeGreaterThan(1)
      expect(await getAllUserProfiles(0)).toHaveLength(everyone)
      expect(await getAllUserProfiles(null as unknown as number)).toHaveLength(everyone)
      expect(await getAllUserProfiles(1)).toHaveLength(1)
      await getUsersNeedingAnalysis(null as unknown as number)
      await getUsersNeedingAnalysis(Number.NaN)
      for (const bad of [-1, 2.5]) {
        expect(await rejection(getUsersNeedingAnalysis(bad))).toBeInstanceOf(InvalidInput)
        expect(await rejection(getAllUserProfiles(bad))).toBeInstanceOf(InvalidInput)
        expect(await rejection(getAnalysisHistory("k9", bad))).toBeInstanceOf(InvalidInput)
      }
    })

    it("incrementMessageCount counts and marks the interaction time", async () => {
      await createUserProfile("inc", "Inc")
      await updateUserProfile("inc", { last_interaction_at: 1_600_000_000 })
      const before = nowSeconds()
      await incrementMessageCount("inc")
      await pause()
      await incrementMessageCount("inc")
      const read = await profileOf("inc")
      expect(read.message_count).toBe(2)
      expect(read.last_interaction_at).toBeGreaterThanOrEqual(before)
      expect(read.updated_at).toBe(read.last_interaction_at)
    })
  })
}

describe("both backends", () => {
  it("give the same answers to the Appendix A calls", () => {
    expect(transcripts.sqlite).toBeDefined()
    expect(transcripts.postgres).toEqual(transcripts.sqlite)
  })
})
