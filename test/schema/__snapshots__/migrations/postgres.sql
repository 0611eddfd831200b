-- postgres 1_initial_schema
CREATE TABLE IF NOT EXISTS messages (
  "id" TEXT COLLATE "C" PRIMARY KEY,
  "timestamp" BIGINT NOT NULL,
  "sender_type" TEXT NOT NULL,
  "user_id" TEXT COLLATE "C",
  "username" TEXT,
  "channel_id" TEXT COLLATE "C",
  "channel_name" TEXT,
  "guild_id" TEXT COLLATE "C",
  "message_content" TEXT NOT NULL,
  "tool_name" TEXT,
  "tool_args" JSONB,
  "tool_result" JSONB,
  "session_id" TEXT COLLATE "C",
  "parent_message_id" TEXT COLLATE "C",
  "metadata" JSONB,
  "ai_summary" TEXT,
  "sentiment_analysis" JSONB,
  "response_decision" JSONB,
  "interaction_type" TEXT,
  "user_intent" TEXT,
  "bot_perception" TEXT,
  "conversation_quality" TEXT,
  "created_at" BIGINT DEFAULT EXTRACT(EPOCH FROM NOW())::BIGINT,
  CHECK (sender_type IN ('human', 'ai', 'tool'))
);
CREATE TABLE IF NOT EXISTS queries (
  "id" TEXT COLLATE "C" PRIMARY KEY,
  "timestamp" BIGINT NOT NULL,
  "user_id" TEXT COLLATE "C" NOT NULL,
  "username" TEXT NOT NULL,
  "query_text" TEXT NOT NULL,
  "translated_sql" TEXT,
  "ai_summary" TEXT,
  "query_result" JSONB,
  "result_count" BIGINT,
  "error" TEXT,
  "execution_time_ms" BIGINT,
  "sentiment_analysis" JSONB,
  "query_complexity" TEXT,
  "user_satisfaction" TEXT,
  "created_at" BIGINT DEFAULT EXTRACT(EPOCH FROM NOW())::BIGINT
);
CREATE TABLE IF NOT EXISTS documents (
  "id" TEXT COLLATE "C" PRIMARY KEY,
  "title" TEXT NOT NULL,
  "content" TEXT NOT NULL DEFAULT '',
  "created_by" TEXT NOT NULL,
  "created_by_username" TEXT,
  "created_at" BIGINT DEFAULT EXTRACT(EPOCH FROM NOW())::BIGINT,
  "updated_at" BIGINT DEFAULT EXTRACT(EPOCH FROM NOW())::BIGINT,
  "is_public" BOOLEAN DEFAULT TRUE,
  "metadata" JSONB
);
CREATE TABLE IF NOT EXISTS document_collaborators (
  "id" TEXT COLLATE "C" PRIMARY KEY,
  "document_id" TEXT COLLATE "C" NOT NULL,
  "user_id" TEXT COLLATE "C" NOT NULL,
  "username" TEXT,
  "role" TEXT DEFAULT 'editor',
  "joined_at" BIGINT DEFAULT EXTRACT(EPOCH FROM NOW())::BIGINT,
  FOREIGN KEY ("document_id") REFERENCES documents("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS user_profiles (
  "id" TEXT COLLATE "C" PRIMARY KEY,
  "user_id" TEXT COLLATE "C" NOT NULL,
  "username" TEXT NOT NULL,
  "dominant_archetype" TEXT,
  "secondary_archetypes" JSONB,
  "archetype_confidence" DOUBLE PRECISION,
  "shadow_archetype" TEXT,
  "openness_score" BIGINT,
  "conscientiousness_score" BIGINT,
  "extraversion_score" BIGINT,
  "agreeableness_score" BIGINT,
  "neuroticism_score" BIGINT,
  "attachment_style" TEXT,
  "attachment_confidence" DOUBLE PRECISION,
  "emotional_awareness_score" BIGINT,
  "empathy_score" BIGINT,
  "emotional_regulation_score" BIGINT,
  "communication_formality" TEXT,
  "communication_assertiveness" TEXT,
  "communication_engagement" TEXT,
  "verbal_fluency_score" BIGINT,
  "question_asking_frequency" DOUBLE PRECISION,
  "analytical_thinking_score" BIGINT,
  "creative_thinking_score" BIGINT,
  "abstract_reasoning_score" BIGINT,
  "concrete_thinking_score" BIGINT,
  "social_dominance_score" BIGINT,
  "cooperation_score" BIGINT,
  "conflict_style" TEXT,
  "humor_style" TEXT,
  "message_length_avg" DOUBLE PRECISION,
  "message_length_variance" DOUBLE PRECISION,
  "response_latency_avg" DOUBLE PRECISION,
  "emoji_usage_rate" DOUBLE PRECISION,
  "punctuation_style" TEXT,
  "capitalization_pattern" TEXT,
  "technical_knowledge_level" TEXT,
  "primary_interests" JSONB,
  "expertise_areas" JSONB,
  "affinity_score" BIGINT,
  "trust_level" BIGINT,
  "emotional_bond" TEXT,
  "omega_thoughts" TEXT,
  "notable_patterns" JSONB,
  "overall_sentiment" TEXT,
  "positive_interaction_ratio" DOUBLE PRECISION,
  "negative_interaction_ratio" DOUBLE PRECISION,
  "dominant_emotions" JSONB,
  "feelings_json" JSONB,
  "personality_facets" JSONB,
  "uploaded_photo_url" TEXT,
  "uploaded_photo_metadata" JSONB,
  "ai_appearance_description" TEXT,
  "appearance_confidence" DOUBLE PRECISION DEFAULT 0,
  "ai_detected_gender" TEXT,
  "gender_confidence" DOUBLE PRECISION,
  "estimated_age_range" TEXT,
  "age_confidence" DOUBLE PRECISION,
  "face_shape" TEXT,
  "facial_symmetry_score" BIGINT,
  "jawline_prominence" TEXT,
  "cheekbone_prominence" TEXT,
  "hair_color" TEXT,
  "hair_texture" TEXT,
  "hair_length" TEXT,
  "hair_style" TEXT,
  "hair_density" TEXT,
  "facial_hair" TEXT,
  "eye_color" TEXT,
  "eye_shape" TEXT,
  "eye_spacing" TEXT,
  "eyebrow_shape" TEXT,
  "eyebrow_thickness" TEXT,
  "nose_shape" TEXT,
  "nose_size" TEXT,
  "lip_fullness" TEXT,
  "smile_type" TEXT,
  "skin_tone" TEXT,
  "skin_texture" TEXT,
  "complexion_quality" TEXT,
  "body_type" TEXT,
  "build_description" TEXT,
  "height_estimate" TEXT,
  "posture" TEXT,
  "distinctive_features" JSONB,
  "clothing_style" TEXT,
  "accessories" JSONB,
  "attractiveness_assessment" TEXT,
  "approachability_score" BIGINT,
  "perceived_confidence_level" TEXT,
  "aesthetic_archetype" TEXT,
  "first_seen_at" BIGINT NOT NULL,
  "last_interaction_at" BIGINT NOT NULL,
  "last_analyzed_at" BIGINT,
  "last_photo_analyzed_at" BIGINT,
  "message_count" BIGINT DEFAULT 0,
  "created_at" BIGINT DEFAULT EXTRACT(EPOCH FROM NOW())::BIGINT,
  "updated_at" BIGINT DEFAULT EXTRACT(EPOCH FROM NOW())::BIGINT,
  "cultural_background" TEXT,
  "cultural_values" JSONB,
  "cultural_communication_style" TEXT,
  "cultural_confidence" DOUBLE PRECISION,
  "zodiac_sign" TEXT,
  "zodiac_element" TEXT,
  "zodiac_modality" TEXT,
  "birth_date" TEXT,
  "astrological_confidence" DOUBLE PRECISION,
  "predicted_behaviors" JSONB,
  "prediction_confidence" DOUBLE PRECISION,
  "prediction_timeframe" TEXT,
  "last_prediction_at" BIGINT,
  "prediction_accuracy_score" DOUBLE PRECISION,
  "integrated_profile_summary" TEXT,
  "profile_integration_confidence" DOUBLE PRECISION,
  "world_model_adjustments" JSONB,
  "personal_model_adjustments" JSONB,
  UNIQUE (user_id)
);
CREATE TABLE IF NOT EXISTS user_analysis_history (
  "id" TEXT COLLATE "C" PRIMARY KEY,
  "user_id" TEXT COLLATE "C" NOT NULL,
  "analysis_timestamp" BIGINT NOT NULL,
  "feelings_snapshot" JSONB,
  "personality_snapshot" JSONB,
  "message_count_at_analysis" BIGINT,
  "changes_summary" TEXT,
  "created_at" BIGINT DEFAULT EXTRACT(EPOCH FROM NOW())::BIGINT,
  FOREIGN KEY ("user_id") REFERENCES user_profiles("user_id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS idx_collaborators_document_id ON document_collaborators(document_id);
CREATE UNIQUE INDEX IF NOT EXISTS idx_collaborators_unique ON document_collaborators(document_id, user_id);
CREATE INDEX IF NOT EXISTS idx_collaborators_user_id ON document_collaborators(user_id);
CREATE INDEX IF NOT EXISTS idx_documents_created_at ON documents(created_at DESC);
CREATE INDEX IF NOT EXISTS idx_documents_created_by ON documents(created_by);
CREATE INDEX IF NOT EXISTS idx_documents_updated_at ON documents(updated_at DESC);
CREATE INDEX IF NOT EXISTS idx_messages_channel_id ON messages(channel_id);
CREATE INDEX IF NOT EXISTS idx_messages_sender_type ON messages(sender_type);
CREATE INDEX IF NOT EXISTS idx_messages_session_id ON messages(session_id);
CREATE INDEX IF NOT EXISTS idx_messages_timestamp ON messages(timestamp DESC);
CREATE INDEX IF NOT EXISTS idx_messages_user_id ON messages(user_id);
CREATE INDEX IF NOT EXISTS idx_queries_timestamp ON queries(timestamp DESC);
CREATE INDEX IF NOT EXISTS idx_queries_user_id ON queries(user_id);
CREATE INDEX IF NOT EXISTS idx_analysis_history_timestamp ON user_analysis_history(analysis_timestamp DESC);
CREATE INDEX IF NOT EXISTS idx_analysis_history_user_id ON user_analysis_history(user_id);
CREATE INDEX IF NOT EXISTS idx_user_profiles_last_analyzed ON user_profiles(last_analyzed_at);
CREATE INDEX IF NOT EXISTS idx_user_profiles_user_id ON user_profiles(user_id);
CREATE INDEX IF NOT EXISTS idx_messages_fts ON messages USING GIN (to_tsvector('simple', coalesce(message_content, '') || ' ' || coalesce(tool_name, '') || ' ' || coalesce(username, '')));

-- postgres 2_shadow_journal
CREATE TABLE IF NOT EXISTS shadow_journal (
  seq BIGSERIAL PRIMARY KEY,
  target TEXT NOT NULL,
  operation TEXT NOT NULL,
  aggregate_key TEXT NOT NULL,
  payload TEXT NOT NULL,
  error TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  recorded_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_shadow_journal_target ON shadow_journal(target, seq);

-- postgres 3_shadow_journal_replay_order
CREATE INDEX IF NOT EXISTS idx_shadow_journal_replay ON shadow_journal(target, recorded_at, seq);
DROP INDEX IF EXISTS idx_shadow_journal_target;

-- postgres 4_integer_columns_numeric
ALTER TABLE queries
  ALTER COLUMN "result_count" TYPE NUMERIC USING "result_count"::NUMERIC,
  ALTER COLUMN "execution_time_ms" TYPE NUMERIC USING "execution_time_ms"::NUMERIC;
ALTER TABLE user_profiles
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
  ALTER COLUMN "message_count" TYPE NUMERIC USING "message_count"::NUMERIC;
ALTER TABLE user_analysis_history
  ALTER COLUMN "message_count_at_analysis" TYPE NUMERIC USING "message_count_at_analysis"::NUMERIC;
