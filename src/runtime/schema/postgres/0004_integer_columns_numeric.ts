/**
 * PostgreSQL migration 4, frozen: the INTEGER columns of the legacy schema that hold the bot's scores and counts
 * become NUMERIC, so they keep what SQLite keeps there. SQLite's INTEGER affinity stores a fractional value as it
 * is (the bot writes `affinity_score: 72.5`; legacy profiles hold 24.5), which BIGINT refused: a whole profile, and
 * then its history, was left out of the copy for one such cell. NUMERIC holds every 64-bit integer exactly, like
 * BIGINT, and every double as the shortest decimal that reads back as the same double; DOUBLE PRECISION would
 * round integers beyond 2^53. The time columns stay BIGINT: the bot writes whole seconds and milliseconds only,
 * and BIGINT keeps the messages table (the largest, with the GIN index) from being rewritten here.
 *
 * bigint → numeric is exact, so existing rows keep their values; each table is rewritten once (one ALTER TABLE).
 */
import { fixedStatements } from "../FrozenMigration.js"

export const integerColumnsNumeric = fixedStatements([
  `ALTER TABLE queries
  ALTER COLUMN "result_count" TYPE NUMERIC USING "result_count"::NUMERIC,
  ALTER COLUMN "execution_time_ms" TYPE NUMERIC USING "execution_time_ms"::NUMERIC`,
  `ALTER TABLE user_profiles
  ALTER COLUMN "openness_score" TYPE NUMERIC USING "openness_score"::NUMERIC,
  ALTER COLUMN "conscientiousness_score" TYPE NUMERIC USING "conscientiousness_score"::NUMERIC,
  ALTER COLUMN "extraversion_score" TYPE NUMERIC USING "extraversion_score"::NUMERIC,
  ALTER COLUMN "agreeableness_score" TYPE NUMERIC USING "agreeableness_score"::NUMERIC,
  ALTER COLUMN "neuroticism_score" TYPE NUMERIC USING "neuroticism_score"::NUMERIC,
  ALTER COLUMN "emotional_awareness_score" TYPE NUMERIC USING "emotional_awareness_score"::NUMERIC,
  ALTER COLUMN "empathy_score" TYPE NUMERIC USING "empathy_score"::NUMERIC,
  ALTER COLUMN "emotional_regulation_score" TYPE NUMERIC USING "emotional_regulation_score"::NUMERIC,
  ALTER COLUMN "verbal_fluency_score" TYPE NUMERIC USING "verbal_fluency_score"::NUMERIC,
  ALTER COLUMN "analytical_thinking_score" TYPE NUMERIC USING "analytical_thinking_score"::NUMERIC,
  ALTER COLUMN "creative_thinking_score" TYPE NUMERIC USING "creative_thinking_score"::NUMERIC,
  ALTER COLUMN "abstract_reasoning_score" TYPE NUMERIC USING "abstract_reasoning_score"::NUMERIC,
  ALTER COLUMN "concrete_thinking_score" TYPE NUMERIC USING "concrete_thinking_score"::NUMERIC,
  ALTER COLUMN "social_dominance_score" TYPE NUMERIC USING "social_dominance_score"::NUMERIC,
  ALTER COLUMN "cooperation_score" TYPE NUMERIC USING "cooperation_score"::NUMERIC,
  ALTER COLUMN "affinity_score" TYPE NUMERIC USING "affinity_score"::NUMERIC,
  ALTER COLUMN "trust_level" TYPE NUMERIC USING "trust_level"::NUMERIC,
  ALTER COLUMN "facial_symmetry_score" TYPE NUMERIC USING "facial_symmetry_score"::NUMERIC,
  ALTER COLUMN "approachability_score" TYPE NUMERIC USING "approachability_score"::NUMERIC,
  ALTER COLUMN "message_count" TYPE NUMERIC USING "message_count"::NUMERIC`,
  `ALTER TABLE user_analysis_history
  ALTER COLUMN "message_count_at_analysis" TYPE NUMERIC USING "message_count_at_analysis"::NUMERIC`
])
