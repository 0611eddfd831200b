/**
 * A row of `user_profiles`: everything the bot has inferred about one Discord user (116 columns).
 * Every time column (`*_at`) is epoch SECONDS. The last 18 columns (`cultural_background` onwards) were added
 * to the legacy schema later: an older SQLite database lacks them until it is upgraded.
 */
import { Schema } from "effect"
import { late, nullable, required, rowSchema, writeSchemaOf } from "./Column.js"
import { JsonInput } from "./JsonInput.js"

export const userProfileColumns = {
  id: required("text"),
  user_id: required("text"),
  username: required("text"),
  dominant_archetype: nullable("text"),
  secondary_archetypes: nullable("json"),
  archetype_confidence: nullable("real"),
  shadow_archetype: nullable("text"),
  openness_score: nullable("integer"),
  conscientiousness_score: nullable("integer"),
  extraversion_score: nullable("integer"),
  agreeableness_score: nullable("integer"),
  neuroticism_score: nullable("integer"),
  attachment_style: nullable("text"),
  attachment_confidence: nullable("real"),
  emotional_awareness_score: nullable("integer"),
  empathy_score: nullable("integer"),
  emotional_regulation_score: nullable("integer"),
  communication_formality: nullable("text"),
  communication_assertiveness: nullable("text"),
  communication_engagement: nullable("text"),
  verbal_fluency_score: nullable("integer"),
  question_asking_frequency: nullable("real"),
  analytical_thinking_score: nullable("integer"),
  creative_thinking_score: nullable("integer"),
  abstract_reasoning_score: nullable("integer"),
  concrete_thinking_score: nullable("integer"),
  social_dominance_score: nullable("integer"),
  cooperation_score: nullable("integer"),
  conflict_style: nullable("text"),
  humor_style: nullable("text"),
  message_length_avg: nullable("real"),
  message_length_variance: nullable("real"),
  response_latency_avg: nullable("real"),
  emoji_usage_rate: nullable("real"),
  punctuation_style: nullable("text"),
  capitalization_pattern: nullable("text"),
  technical_knowledge_level: nullable("text"),
  primary_interests: nullable("json"),
  expertise_areas: nullable("json"),
  affinity_score: nullable("integer"),
  trust_level: nullable("integer"),
  emotional_bond: nullable("text"),
  omega_thoughts: nullable("text"),
  notable_patterns: nullable("json"),
  overall_sentiment: nullable("text"),
  positive_interaction_ratio: nullable("real"),
  negative_interaction_ratio: nullable("real"),
  dominant_emotions: nullable("json"),
  feelings_json: nullable("json"),
  personality_facets: nullable("json"),
  uploaded_photo_url: nullable("text"),
  uploaded_photo_metadata: nullable("json"),
  ai_appearance_description: nullable("text"),
  appearance_confidence: nullable("real"),
  ai_detected_gender: nullable("text"),
  gender_confidence: nullable("real"),
  estimated_age_range: nullable("text"),
  age_confidence: nullable("real"),
  face_shape: nullable("text"),
  facial_symmetry_score: nullable("integer"),
  jawline_prominence: nullable("text"),
  cheekbone_prominence: nullable("text"),
  hair_color: nullable("text"),
  hair_texture: nullable("text"),
  hair_length: nullable("text"),
  hair_style: nullable("text"),
  hair_density: nullable("text"),
  facial_hair: nullable("text"),
  eye_color: nullable("text"),
  eye_shape: nullable("text"),
  eye_spacing: nullable("text"),
  eyebrow_shape: nullable("text"),
  eyebrow_thickness: nullable("text"),
  nose_shape: nullable("text"),
  nose_size: nullable("text"),
  lip_fullness: nullable("text"),
  smile_type: nullable("text"),
  skin_tone: nullable("text"),
  skin_texture: nullable("text"),
  complexion_quality: nullable("text"),
  body_type: nullable("text"),
  build_description: nullable("text"),
  height_estimate: nullable("text"),
  posture: nullable("text"),
  distinctive_features: nullable("json"),
  clothing_style: nullable("text"),
  accessories: nullable("json"),
  attractiveness_assessment: nullable("text"),
  approachability_score: nullable("integer"),
  perceived_confidence_level: nullable("text"),
  aesthetic_archetype: nullable("text"),
  first_seen_at: required("epochSeconds"),
  last_interaction_at: required("epochSeconds"),
  last_analyzed_at: nullable("epochSeconds"),
  last_photo_analyzed_at: nullable("epochSeconds"),
  message_count: nullable("integer"),
  created_at: nullable("epochSeconds"),
  updated_at: nullable("epochSeconds"),
  cultural_background: late("text"),
  cultural_values: late("json"),
  cultural_communication_style: late("text"),
  cultural_confidence: late("real"),
  zodiac_sign: late("text"),
  zodiac_element: late("text"),
  zodiac_modality: late("text"),
  birth_date: late("text"),
  astrological_confidence: late("real"),
  predicted_behaviors: late("json"),
  prediction_confidence: late("real"),
  prediction_timeframe: late("text"),
  last_prediction_at: late("epochSeconds"),
  prediction_accuracy_score: late("real"),
  integrated_profile_summary: late("text"),
  profile_integration_confidence: late("real"),
  world_model_adjustments: late("json"),
  personal_model_adjustments: late("json")
} as const

export const UserProfile = rowSchema(userProfileColumns).annotations({ identifier: "UserProfile" })
export type UserProfile = typeof UserProfile.Type

export type UserProfileColumn = keyof typeof userProfileColumns

/** Columns `updateUserProfile` may not set: identity and bookkeeping the service maintains itself. */
export const protectedProfileColumns: ReadonlyArray<UserProfileColumn> = ["id", "user_id", "created_at", "updated_at"]

/**
 * What `updateUserProfile` accepts: any other profile column, each value checked against its column's kind
 * (`writeSchemaOf`), except that a JSON column takes JSON text as well as a JSON value (the bot writes JSON text,
 * see JsonInput). Unknown keys are rejected before this Schema runs.
 */
export const UserProfileUpdates = Schema.Struct(
  Object.fromEntries(
    Object.entries(userProfileColumns)
      .filter(([name]) => !protectedProfileColumns.includes(name as UserProfileColumn))
      .map(([name, column]) => [
        name,
        Schema.optional(column.kind === "json" ? Schema.NullOr(JsonInput) : writeSchemaOf(column))
      ])
  )
).annotations({ identifier: "UserProfileUpdates" }) as unknown as Schema.Schema<UserProfileUpdates>
export type UserProfileUpdates = Partial<Omit<UserProfile, "id" | "user_id" | "created_at" | "updated_at">>
