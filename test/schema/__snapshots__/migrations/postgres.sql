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

-- postgres 5_search_words
CREATE OR REPLACE FUNCTION messages_search_vector(message_content text, tool_name text, username text)
  RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1000 SET search_path = pg_catalog
  AS $$SELECT to_tsvector('simple'::regconfig, regexp_replace(regexp_replace(CASE WHEN (coalesce(message_content, '') || ' ' || coalesce(tool_name, '') || ' ' || coalesce(username, '')) ~ E'[\\u00c0-\\u00c5\\u00e0-\\u00e5\\u0100-\\u0105\\u01cd-\\u01ce\\u01de-\\u01df\\u01fa-\\u01fb\\u0200-\\u0203\\u0226-\\u0227\\u1e00-\\u1e01\\u1ea0-\\u1eb7\\u212b\\u1e02-\\u1e07\\u00c7\\u00e7\\u0106-\\u010d\\u1e08-\\u1e09\\u010e-\\u010f\\u1e0a-\\u1e13\\u00c8-\\u00cb\\u00e8-\\u00eb\\u0112-\\u011b\\u0204-\\u0207\\u0228-\\u0229\\u1e14-\\u1e1d\\u1eb8-\\u1ec7\\u1e1e-\\u1e1f\\u011c-\\u0123\\u01e6-\\u01e7\\u01f4-\\u01f5\\u1e20-\\u1e21\\u0124-\\u0125\\u021e-\\u021f\\u1e22-\\u1e2b\\u1e96\\u00cc-\\u00cf\\u00ec-\\u00ef\\u0128-\\u0130\\u01cf-\\u01d0\\u0208-\\u020b\\u1e2c-\\u1e2f\\u1ec8-\\u1ecb\\u0134-\\u0135\\u01f0\\u0136-\\u0137\\u01e8-\\u01e9\\u1e30-\\u1e35\\u0139-\\u013e\\u1e36-\\u1e43\\u00d1\\u00f1\\u0143-\\u0148\\u01f8-\\u01f9\\u1e44-\\u1e4b\\u00d2-\\u00d6\\u00f2-\\u00f6\\u014c-\\u0151\\u01a0-\\u01a1\\u01d1-\\u01d2\\u01ea-\\u01ed\\u020c-\\u020f\\u022a-\\u0231\\u1e4c-\\u1e53\\u1ecc-\\u1ee3\\u1e54-\\u1e57\\u0154-\\u0159\\u0210-\\u0213\\u1e58-\\u1e5f\\u015a-\\u0161\\u017f\\u0218-\\u0219\\u1e60-\\u1e69\\u1e9b\\u0162-\\u0165\\u021a-\\u021b\\u1e6a-\\u1e71\\u1e97\\u00d9-\\u00dc\\u00f9-\\u00fc\\u0168-\\u0173\\u01af-\\u01b0\\u01d3-\\u01dc\\u0214-\\u0217\\u1e72-\\u1e7b\\u1ee4-\\u1ef1\\u1e7c-\\u1e7f\\u0174-\\u0175\\u1e80-\\u1e89\\u1e98\\u1e8a-\\u1e8d\\u00dd\\u00fd\\u00ff\\u0176-\\u0178\\u0232-\\u0233\\u1e8e-\\u1e8f\\u1e99\\u1ef2-\\u1ef9\\u0179-\\u017e\\u1e90-\\u1e95\\u03d0\\u03f5\\u03d1\\u0345\\u1fbe\\u03f0\\u00b5\\u03d6\\u03f1\\u03c2\\u03d5]' THEN regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(coalesce(message_content, '') || ' ' || coalesce(tool_name, '') || ' ' || coalesce(username, ''), E'[\\u00c0-\\u00c5\\u00e0-\\u00e5\\u0100-\\u0105\\u01cd-\\u01ce\\u01de-\\u01df\\u01fa-\\u01fb\\u0200-\\u0203\\u0226-\\u0227\\u1e00-\\u1e01\\u1ea0-\\u1eb7\\u212b]', 'a', 'g'), E'[\\u1e02-\\u1e07]', 'b', 'g'), E'[\\u00c7\\u00e7\\u0106-\\u010d\\u1e08-\\u1e09]', 'c', 'g'), E'[\\u010e-\\u010f\\u1e0a-\\u1e13]', 'd', 'g'), E'[\\u00c8-\\u00cb\\u00e8-\\u00eb\\u0112-\\u011b\\u0204-\\u0207\\u0228-\\u0229\\u1e14-\\u1e1d\\u1eb8-\\u1ec7]', 'e', 'g'), E'[\\u1e1e-\\u1e1f]', 'f', 'g'), E'[\\u011c-\\u0123\\u01e6-\\u01e7\\u01f4-\\u01f5\\u1e20-\\u1e21]', 'g', 'g'), E'[\\u0124-\\u0125\\u021e-\\u021f\\u1e22-\\u1e2b\\u1e96]', 'h', 'g'), E'[\\u00cc-\\u00cf\\u00ec-\\u00ef\\u0128-\\u0130\\u01cf-\\u01d0\\u0208-\\u020b\\u1e2c-\\u1e2f\\u1ec8-\\u1ecb]', 'i', 'g'), E'[\\u0134-\\u0135\\u01f0]', 'j', 'g'), E'[\\u0136-\\u0137\\u01e8-\\u01e9\\u1e30-\\u1e35]', 'k', 'g'), E'[\\u0139-\\u013e\\u1e36-\\u1e3d]', 'l', 'g'), E'[\\u1e3e-\\u1e43]', 'm', 'g'), E'[\\u00d1\\u00f1\\u0143-\\u0148\\u01f8-\\u01f9\\u1e44-\\u1e4b]', 'n', 'g'), E'[\\u00d2-\\u00d6\\u00f2-\\u00f6\\u014c-\\u0151\\u01a0-\\u01a1\\u01d1-\\u01d2\\u01ea-\\u01ed\\u020c-\\u020f\\u022a-\\u0231\\u1e4c-\\u1e53\\u1ecc-\\u1ee3]', 'o', 'g'), E'[\\u1e54-\\u1e57]', 'p', 'g'), E'[\\u0154-\\u0159\\u0210-\\u0213\\u1e58-\\u1e5f]', 'r', 'g'), E'[\\u015a-\\u0161\\u017f\\u0218-\\u0219\\u1e60-\\u1e69\\u1e9b]', 's', 'g'), E'[\\u0162-\\u0165\\u021a-\\u021b\\u1e6a-\\u1e71\\u1e97]', 't', 'g'), E'[\\u00d9-\\u00dc\\u00f9-\\u00fc\\u0168-\\u0173\\u01af-\\u01b0\\u01d3-\\u01dc\\u0214-\\u0217\\u1e72-\\u1e7b\\u1ee4-\\u1ef1]', 'u', 'g'), E'[\\u1e7c-\\u1e7f]', 'v', 'g'), E'[\\u0174-\\u0175\\u1e80-\\u1e89\\u1e98]', 'w', 'g'), E'[\\u1e8a-\\u1e8d]', 'x', 'g'), E'[\\u00dd\\u00fd\\u00ff\\u0176-\\u0178\\u0232-\\u0233\\u1e8e-\\u1e8f\\u1e99\\u1ef2-\\u1ef9]', 'y', 'g'), E'[\\u0179-\\u017e\\u1e90-\\u1e95]', 'z', 'g'), E'[\\u03d0]', 'β', 'g'), E'[\\u03f5]', 'ε', 'g'), E'[\\u03d1]', 'θ', 'g'), E'[\\u0345\\u1fbe]', 'ι', 'g'), E'[\\u03f0]', 'κ', 'g'), E'[\\u00b5]', 'μ', 'g'), E'[\\u03d6]', 'π', 'g'), E'[\\u03f1]', 'ρ', 'g'), E'[\\u03c2]', 'σ', 'g'), E'[\\u03d5]', 'φ', 'g') ELSE coalesce(message_content, '') || ' ' || coalesce(tool_name, '') || ' ' || coalesce(username, '') END, E'[\\u0300-\\u0304\\u0306-\\u030c\\u030f\\u0311\\u031b\\u0323-\\u0328\\u032d-\\u032e\\u0330-\\u0331]', '', 'g'), E'[\\x01-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f\\u0080-\\u00a9\\u00ab-\\u00b4\\u00b6-\\u00b9\\u00bb-\\u00bf\\u00d7\\u00f7\\u02c2-\\u02c5\\u02d2-\\u02df\\u02e5-\\u02eb\\u02ed\\u02ef-\\u02ff\\u0375\\u037e\\u0384-\\u0385\\u0387\\u03f6\\u0482\\u055a-\\u055f\\u0589-\\u058f\\u05be\\u05c0\\u05c3\\u05c6\\u05f3-\\u060f\\u061b-\\u061f\\u066a-\\u066d\\u06d4\\u06dd-\\u06de\\u06e9\\u06fd-\\u06fe\\u0700-\\u070f\\u07f6-\\u07f9\\u07fe-\\u07ff\\u0830-\\u083e\\u085e\\u0888\\u0890-\\u0891\\u08e2\\u0964-\\u0965\\u0970\\u09f2-\\u09fb\\u09fd\\u0a76\\u0af0-\\u0af1\\u0b70\\u0b72-\\u0b77\\u0bf0-\\u0bfa\\u0c77-\\u0c7f\\u0c84\\u0d4f\\u0d58-\\u0d5e\\u0d70-\\u0d79\\u0df4\\u0e3f\\u0e4f\\u0e5a-\\u0e5b\\u0f01-\\u0f17\\u0f1a-\\u0f1f\\u0f2a-\\u0f34\\u0f36\\u0f38\\u0f3a-\\u0f3d\\u0f85\\u0fbe-\\u0fc5\\u0fc7-\\u0fda\\u104a-\\u104f\\u109e-\\u109f\\u10fb\\u1360-\\u137c\\u1390-\\u1399\\u1400\\u166d-\\u166e\\u1680\\u169b-\\u169c\\u16eb-\\u16ed\\u1735-\\u1736\\u17d4-\\u17d6\\u17d8-\\u17db\\u17f0-\\u180a\\u180e\\u1940-\\u1945\\u19da-\\u19ff\\u1a1e-\\u1a1f\\u1aa0-\\u1aa6\\u1aa8-\\u1aad\\u1b4e-\\u1b4f\\u1b5a-\\u1b6a\\u1b74-\\u1b7f\\u1bfc-\\u1bff\\u1c3b-\\u1c3f\\u1c7e-\\u1c7f\\u1cc0-\\u1cc7\\u1cd3\\u1fbd\\u1fbf-\\u1fc1\\u1fcd-\\u1fcf\\u1fdd-\\u1fdf\\u1fed-\\u1fef\\u1ffd-\\u2070\\u2074-\\u207e\\u2080-\\u208e\\u20a0-\\u20c1\\u2100-\\u2101\\u2103-\\u2106\\u2108-\\u2109\\u2114\\u2116-\\u2118\\u211e-\\u2123\\u2125\\u2127\\u2129\\u212e\\u213a-\\u213b\\u2140-\\u2144\\u214a-\\u214d\\u214f-\\u215f\\u2189-\\u2bff\\u2ce5-\\u2cea\\u2cf9-\\u2cff\\u2d70\\u2e00-\\u2e2e\\u2e30-\\u3004\\u3008-\\u3020\\u3030\\u3036-\\u3037\\u303d-\\u303f\\u309b-\\u309c\\u30a0\\u30fb\\u3190-\\u319f\\u31c0-\\u31ef\\u3200-\\u33ff\\u4dc0-\\u4dff\\ua490-\\ua4c6\\ua4fe-\\ua4ff\\ua60d-\\ua60f\\ua673\\ua67e\\ua6f2-\\ua716\\ua720-\\ua721\\ua789-\\ua78a\\ua828-\\ua82b\\ua830-\\ua839\\ua874-\\ua877\\ua8ce-\\ua8cf\\ua8f8-\\ua8fa\\ua8fc\\ua92e-\\ua92f\\ua95f\\ua9c1-\\ua9cd\\ua9de-\\ua9df\\uaa5c-\\uaa5f\\uaa77-\\uaa79\\uaade-\\uaadf\\uaaf0-\\uaaf1\\uab5b\\uab6a-\\uab6b\\uabeb\\ufb29\\ufbb2-\\ufbd2\\ufd3e-\\ufd4f\\ufd90-\\ufd91\\ufdc8-\\ufdcf\\ufdfc-\\ufdff\\ufe10-\\ufe19\\ufe30-\\ufe6b\\ufeff-\\uff0f\\uff1a-\\uff20\\uff3b-\\uff40\\uff5b-\\uff65\\uffe0-\\ufffd\\U00010100-\\U0001013f\\U00010175-\\U000101fc\\U000102e1-\\U000102fb\\U00010320-\\U00010323\\U0001039f\\U000103d0\\U0001056f\\U00010857-\\U0001085f\\U00010877-\\U0001087f\\U000108a7-\\U000108af\\U000108fb-\\U000108ff\\U00010916-\\U0001091f\\U0001093f\\U000109bc-\\U000109bd\\U000109c0-\\U000109ff\\U00010a40-\\U00010a58\\U00010a7d-\\U00010a7f\\U00010a9d-\\U00010a9f\\U00010ac8\\U00010aeb-\\U00010af6\\U00010b39-\\U00010b3f\\U00010b58-\\U00010b5f\\U00010b78-\\U00010b7f\\U00010b99-\\U00010baf\\U00010cfa-\\U00010cff\\U00010d6e\\U00010d8e-\\U00010e7e\\U00010ead\\U00010ed0-\\U00010ed8\\U00010f1d-\\U00010f26\\U00010f51-\\U00010f59\\U00010f86-\\U00010f89\\U00010fc5-\\U00010fcb\\U00011047-\\U00011065\\U000110bb-\\U000110c1\\U000110cd\\U00011140-\\U00011143\\U00011174-\\U00011175\\U000111c5-\\U000111c8\\U000111cd\\U000111db\\U000111dd-\\U000111f4\\U00011238-\\U0001123d\\U000112a9\\U000113d4-\\U000113d8\\U0001144b-\\U0001144f\\U0001145a-\\U0001145d\\U000114c6\\U000115c1-\\U000115d7\\U00011641-\\U00011643\\U00011660-\\U0001166c\\U000116b9\\U0001173a-\\U0001173f\\U0001183b\\U000118ea-\\U000118f2\\U00011944-\\U00011946\\U000119e2\\U00011a3f-\\U00011a46\\U00011a9a-\\U00011a9c\\U00011a9e-\\U00011aa2\\U00011b00-\\U00011b09\\U00011be1\\U00011c41-\\U00011c45\\U00011c5a-\\U00011c71\\U00011ef7-\\U00011ef8\\U00011f43-\\U00011f4f\\U00011fc0-\\U00011fff\\U00012470-\\U00012474\\U00012ff1-\\U00012ff2\\U00013430-\\U0001343f\\U00016a6e-\\U00016a6f\\U00016af5\\U00016b37-\\U00016b3f\\U00016b44-\\U00016b45\\U00016b5b-\\U00016b61\\U00016d6d-\\U00016d6f\\U00016e80-\\U00016e9a\\U00016fe2\\U0001bc9c\\U0001bc9f-\\U0001ccef\\U0001ccfa-\\U0001cef0\\U0001cf50-\\U0001d164\\U0001d16a-\\U0001d16c\\U0001d173-\\U0001d17a\\U0001d183-\\U0001d184\\U0001d18c-\\U0001d1a9\\U0001d1ae-\\U0001d241\\U0001d245-\\U0001d378\\U0001d6c1\\U0001d6db\\U0001d6fb\\U0001d715\\U0001d735\\U0001d74f\\U0001d76f\\U0001d789\\U0001d7a9\\U0001d7c3\\U0001d800-\\U0001d9ff\\U0001da37-\\U0001da3a\\U0001da6d-\\U0001da74\\U0001da76-\\U0001da83\\U0001da85-\\U0001da8b\\U0001e14f\\U0001e2ff\\U0001e5ff\\U0001e8c7-\\U0001e8cf\\U0001e95e-\\U0001ed3d\\U0001eef0-\\U0001fbef\\U0001fbfa\\U000e0001-\\U000e007f]', ' ', 'g'))$$;
CREATE OR REPLACE FUNCTION messages_search_query(words text)
  RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog
  AS $$SELECT plainto_tsquery('simple'::regconfig, regexp_replace(regexp_replace(CASE WHEN (words) ~ E'[\\u00c0-\\u00c5\\u00e0-\\u00e5\\u0100-\\u0105\\u01cd-\\u01ce\\u01de-\\u01df\\u01fa-\\u01fb\\u0200-\\u0203\\u0226-\\u0227\\u1e00-\\u1e01\\u1ea0-\\u1eb7\\u212b\\u1e02-\\u1e07\\u00c7\\u00e7\\u0106-\\u010d\\u1e08-\\u1e09\\u010e-\\u010f\\u1e0a-\\u1e13\\u00c8-\\u00cb\\u00e8-\\u00eb\\u0112-\\u011b\\u0204-\\u0207\\u0228-\\u0229\\u1e14-\\u1e1d\\u1eb8-\\u1ec7\\u1e1e-\\u1e1f\\u011c-\\u0123\\u01e6-\\u01e7\\u01f4-\\u01f5\\u1e20-\\u1e21\\u0124-\\u0125\\u021e-\\u021f\\u1e22-\\u1e2b\\u1e96\\u00cc-\\u00cf\\u00ec-\\u00ef\\u0128-\\u0130\\u01cf-\\u01d0\\u0208-\\u020b\\u1e2c-\\u1e2f\\u1ec8-\\u1ecb\\u0134-\\u0135\\u01f0\\u0136-\\u0137\\u01e8-\\u01e9\\u1e30-\\u1e35\\u0139-\\u013e\\u1e36-\\u1e43\\u00d1\\u00f1\\u0143-\\u0148\\u01f8-\\u01f9\\u1e44-\\u1e4b\\u00d2-\\u00d6\\u00f2-\\u00f6\\u014c-\\u0151\\u01a0-\\u01a1\\u01d1-\\u01d2\\u01ea-\\u01ed\\u020c-\\u020f\\u022a-\\u0231\\u1e4c-\\u1e53\\u1ecc-\\u1ee3\\u1e54-\\u1e57\\u0154-\\u0159\\u0210-\\u0213\\u1e58-\\u1e5f\\u015a-\\u0161\\u017f\\u0218-\\u0219\\u1e60-\\u1e69\\u1e9b\\u0162-\\u0165\\u021a-\\u021b\\u1e6a-\\u1e71\\u1e97\\u00d9-\\u00dc\\u00f9-\\u00fc\\u0168-\\u0173\\u01af-\\u01b0\\u01d3-\\u01dc\\u0214-\\u0217\\u1e72-\\u1e7b\\u1ee4-\\u1ef1\\u1e7c-\\u1e7f\\u0174-\\u0175\\u1e80-\\u1e89\\u1e98\\u1e8a-\\u1e8d\\u00dd\\u00fd\\u00ff\\u0176-\\u0178\\u0232-\\u0233\\u1e8e-\\u1e8f\\u1e99\\u1ef2-\\u1ef9\\u0179-\\u017e\\u1e90-\\u1e95\\u03d0\\u03f5\\u03d1\\u0345\\u1fbe\\u03f0\\u00b5\\u03d6\\u03f1\\u03c2\\u03d5]' THEN regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(words, E'[\\u00c0-\\u00c5\\u00e0-\\u00e5\\u0100-\\u0105\\u01cd-\\u01ce\\u01de-\\u01df\\u01fa-\\u01fb\\u0200-\\u0203\\u0226-\\u0227\\u1e00-\\u1e01\\u1ea0-\\u1eb7\\u212b]', 'a', 'g'), E'[\\u1e02-\\u1e07]', 'b', 'g'), E'[\\u00c7\\u00e7\\u0106-\\u010d\\u1e08-\\u1e09]', 'c', 'g'), E'[\\u010e-\\u010f\\u1e0a-\\u1e13]', 'd', 'g'), E'[\\u00c8-\\u00cb\\u00e8-\\u00eb\\u0112-\\u011b\\u0204-\\u0207\\u0228-\\u0229\\u1e14-\\u1e1d\\u1eb8-\\u1ec7]', 'e', 'g'), E'[\\u1e1e-\\u1e1f]', 'f', 'g'), E'[\\u011c-\\u0123\\u01e6-\\u01e7\\u01f4-\\u01f5\\u1e20-\\u1e21]', 'g', 'g'), E'[\\u0124-\\u0125\\u021e-\\u021f\\u1e22-\\u1e2b\\u1e96]', 'h', 'g'), E'[\\u00cc-\\u00cf\\u00ec-\\u00ef\\u0128-\\u0130\\u01cf-\\u01d0\\u0208-\\u020b\\u1e2c-\\u1e2f\\u1ec8-\\u1ecb]', 'i', 'g'), E'[\\u0134-\\u0135\\u01f0]', 'j', 'g'), E'[\\u0136-\\u0137\\u01e8-\\u01e9\\u1e30-\\u1e35]', 'k', 'g'), E'[\\u0139-\\u013e\\u1e36-\\u1e3d]', 'l', 'g'), E'[\\u1e3e-\\u1e43]', 'm', 'g'), E'[\\u00d1\\u00f1\\u0143-\\u0148\\u01f8-\\u01f9\\u1e44-\\u1e4b]', 'n', 'g'), E'[\\u00d2-\\u00d6\\u00f2-\\u00f6\\u014c-\\u0151\\u01a0-\\u01a1\\u01d1-\\u01d2\\u01ea-\\u01ed\\u020c-\\u020f\\u022a-\\u0231\\u1e4c-\\u1e53\\u1ecc-\\u1ee3]', 'o', 'g'), E'[\\u1e54-\\u1e57]', 'p', 'g'), E'[\\u0154-\\u0159\\u0210-\\u0213\\u1e58-\\u1e5f]', 'r', 'g'), E'[\\u015a-\\u0161\\u017f\\u0218-\\u0219\\u1e60-\\u1e69\\u1e9b]', 's', 'g'), E'[\\u0162-\\u0165\\u021a-\\u021b\\u1e6a-\\u1e71\\u1e97]', 't', 'g'), E'[\\u00d9-\\u00dc\\u00f9-\\u00fc\\u0168-\\u0173\\u01af-\\u01b0\\u01d3-\\u01dc\\u0214-\\u0217\\u1e72-\\u1e7b\\u1ee4-\\u1ef1]', 'u', 'g'), E'[\\u1e7c-\\u1e7f]', 'v', 'g'), E'[\\u0174-\\u0175\\u1e80-\\u1e89\\u1e98]', 'w', 'g'), E'[\\u1e8a-\\u1e8d]', 'x', 'g'), E'[\\u00dd\\u00fd\\u00ff\\u0176-\\u0178\\u0232-\\u0233\\u1e8e-\\u1e8f\\u1e99\\u1ef2-\\u1ef9]', 'y', 'g'), E'[\\u0179-\\u017e\\u1e90-\\u1e95]', 'z', 'g'), E'[\\u03d0]', 'β', 'g'), E'[\\u03f5]', 'ε', 'g'), E'[\\u03d1]', 'θ', 'g'), E'[\\u0345\\u1fbe]', 'ι', 'g'), E'[\\u03f0]', 'κ', 'g'), E'[\\u00b5]', 'μ', 'g'), E'[\\u03d6]', 'π', 'g'), E'[\\u03f1]', 'ρ', 'g'), E'[\\u03c2]', 'σ', 'g'), E'[\\u03d5]', 'φ', 'g') ELSE words END, E'[\\u0300-\\u0304\\u0306-\\u030c\\u030f\\u0311\\u031b\\u0323-\\u0328\\u032d-\\u032e\\u0330-\\u0331]', '', 'g'), E'[\\x01-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f\\u0080-\\u00a9\\u00ab-\\u00b4\\u00b6-\\u00b9\\u00bb-\\u00bf\\u00d7\\u00f7\\u02c2-\\u02c5\\u02d2-\\u02df\\u02e5-\\u02eb\\u02ed\\u02ef-\\u02ff\\u0375\\u037e\\u0384-\\u0385\\u0387\\u03f6\\u0482\\u055a-\\u055f\\u0589-\\u058f\\u05be\\u05c0\\u05c3\\u05c6\\u05f3-\\u060f\\u061b-\\u061f\\u066a-\\u066d\\u06d4\\u06dd-\\u06de\\u06e9\\u06fd-\\u06fe\\u0700-\\u070f\\u07f6-\\u07f9\\u07fe-\\u07ff\\u0830-\\u083e\\u085e\\u0888\\u0890-\\u0891\\u08e2\\u0964-\\u0965\\u0970\\u09f2-\\u09fb\\u09fd\\u0a76\\u0af0-\\u0af1\\u0b70\\u0b72-\\u0b77\\u0bf0-\\u0bfa\\u0c77-\\u0c7f\\u0c84\\u0d4f\\u0d58-\\u0d5e\\u0d70-\\u0d79\\u0df4\\u0e3f\\u0e4f\\u0e5a-\\u0e5b\\u0f01-\\u0f17\\u0f1a-\\u0f1f\\u0f2a-\\u0f34\\u0f36\\u0f38\\u0f3a-\\u0f3d\\u0f85\\u0fbe-\\u0fc5\\u0fc7-\\u0fda\\u104a-\\u104f\\u109e-\\u109f\\u10fb\\u1360-\\u137c\\u1390-\\u1399\\u1400\\u166d-\\u166e\\u1680\\u169b-\\u169c\\u16eb-\\u16ed\\u1735-\\u1736\\u17d4-\\u17d6\\u17d8-\\u17db\\u17f0-\\u180a\\u180e\\u1940-\\u1945\\u19da-\\u19ff\\u1a1e-\\u1a1f\\u1aa0-\\u1aa6\\u1aa8-\\u1aad\\u1b4e-\\u1b4f\\u1b5a-\\u1b6a\\u1b74-\\u1b7f\\u1bfc-\\u1bff\\u1c3b-\\u1c3f\\u1c7e-\\u1c7f\\u1cc0-\\u1cc7\\u1cd3\\u1fbd\\u1fbf-\\u1fc1\\u1fcd-\\u1fcf\\u1fdd-\\u1fdf\\u1fed-\\u1fef\\u1ffd-\\u2070\\u2074-\\u207e\\u2080-\\u208e\\u20a0-\\u20c1\\u2100-\\u2101\\u2103-\\u2106\\u2108-\\u2109\\u2114\\u2116-\\u2118\\u211e-\\u2123\\u2125\\u2127\\u2129\\u212e\\u213a-\\u213b\\u2140-\\u2144\\u214a-\\u214d\\u214f-\\u215f\\u2189-\\u2bff\\u2ce5-\\u2cea\\u2cf9-\\u2cff\\u2d70\\u2e00-\\u2e2e\\u2e30-\\u3004\\u3008-\\u3020\\u3030\\u3036-\\u3037\\u303d-\\u303f\\u309b-\\u309c\\u30a0\\u30fb\\u3190-\\u319f\\u31c0-\\u31ef\\u3200-\\u33ff\\u4dc0-\\u4dff\\ua490-\\ua4c6\\ua4fe-\\ua4ff\\ua60d-\\ua60f\\ua673\\ua67e\\ua6f2-\\ua716\\ua720-\\ua721\\ua789-\\ua78a\\ua828-\\ua82b\\ua830-\\ua839\\ua874-\\ua877\\ua8ce-\\ua8cf\\ua8f8-\\ua8fa\\ua8fc\\ua92e-\\ua92f\\ua95f\\ua9c1-\\ua9cd\\ua9de-\\ua9df\\uaa5c-\\uaa5f\\uaa77-\\uaa79\\uaade-\\uaadf\\uaaf0-\\uaaf1\\uab5b\\uab6a-\\uab6b\\uabeb\\ufb29\\ufbb2-\\ufbd2\\ufd3e-\\ufd4f\\ufd90-\\ufd91\\ufdc8-\\ufdcf\\ufdfc-\\ufdff\\ufe10-\\ufe19\\ufe30-\\ufe6b\\ufeff-\\uff0f\\uff1a-\\uff20\\uff3b-\\uff40\\uff5b-\\uff65\\uffe0-\\ufffd\\U00010100-\\U0001013f\\U00010175-\\U000101fc\\U000102e1-\\U000102fb\\U00010320-\\U00010323\\U0001039f\\U000103d0\\U0001056f\\U00010857-\\U0001085f\\U00010877-\\U0001087f\\U000108a7-\\U000108af\\U000108fb-\\U000108ff\\U00010916-\\U0001091f\\U0001093f\\U000109bc-\\U000109bd\\U000109c0-\\U000109ff\\U00010a40-\\U00010a58\\U00010a7d-\\U00010a7f\\U00010a9d-\\U00010a9f\\U00010ac8\\U00010aeb-\\U00010af6\\U00010b39-\\U00010b3f\\U00010b58-\\U00010b5f\\U00010b78-\\U00010b7f\\U00010b99-\\U00010baf\\U00010cfa-\\U00010cff\\U00010d6e\\U00010d8e-\\U00010e7e\\U00010ead\\U00010ed0-\\U00010ed8\\U00010f1d-\\U00010f26\\U00010f51-\\U00010f59\\U00010f86-\\U00010f89\\U00010fc5-\\U00010fcb\\U00011047-\\U00011065\\U000110bb-\\U000110c1\\U000110cd\\U00011140-\\U00011143\\U00011174-\\U00011175\\U000111c5-\\U000111c8\\U000111cd\\U000111db\\U000111dd-\\U000111f4\\U00011238-\\U0001123d\\U000112a9\\U000113d4-\\U000113d8\\U0001144b-\\U0001144f\\U0001145a-\\U0001145d\\U000114c6\\U000115c1-\\U000115d7\\U00011641-\\U00011643\\U00011660-\\U0001166c\\U000116b9\\U0001173a-\\U0001173f\\U0001183b\\U000118ea-\\U000118f2\\U00011944-\\U00011946\\U000119e2\\U00011a3f-\\U00011a46\\U00011a9a-\\U00011a9c\\U00011a9e-\\U00011aa2\\U00011b00-\\U00011b09\\U00011be1\\U00011c41-\\U00011c45\\U00011c5a-\\U00011c71\\U00011ef7-\\U00011ef8\\U00011f43-\\U00011f4f\\U00011fc0-\\U00011fff\\U00012470-\\U00012474\\U00012ff1-\\U00012ff2\\U00013430-\\U0001343f\\U00016a6e-\\U00016a6f\\U00016af5\\U00016b37-\\U00016b3f\\U00016b44-\\U00016b45\\U00016b5b-\\U00016b61\\U00016d6d-\\U00016d6f\\U00016e80-\\U00016e9a\\U00016fe2\\U0001bc9c\\U0001bc9f-\\U0001ccef\\U0001ccfa-\\U0001cef0\\U0001cf50-\\U0001d164\\U0001d16a-\\U0001d16c\\U0001d173-\\U0001d17a\\U0001d183-\\U0001d184\\U0001d18c-\\U0001d1a9\\U0001d1ae-\\U0001d241\\U0001d245-\\U0001d378\\U0001d6c1\\U0001d6db\\U0001d6fb\\U0001d715\\U0001d735\\U0001d74f\\U0001d76f\\U0001d789\\U0001d7a9\\U0001d7c3\\U0001d800-\\U0001d9ff\\U0001da37-\\U0001da3a\\U0001da6d-\\U0001da74\\U0001da76-\\U0001da83\\U0001da85-\\U0001da8b\\U0001e14f\\U0001e2ff\\U0001e5ff\\U0001e8c7-\\U0001e8cf\\U0001e95e-\\U0001ed3d\\U0001eef0-\\U0001fbef\\U0001fbfa\\U000e0001-\\U000e007f]', ' ', 'g'))$$;
DROP INDEX IF EXISTS idx_messages_fts;
CREATE INDEX IF NOT EXISTS idx_messages_fts ON messages USING GIN (messages_search_vector(message_content, tool_name, username));

-- postgres 6_shadow_outbox
CREATE SEQUENCE IF NOT EXISTS shadow_outbox_seq;
CREATE TABLE IF NOT EXISTS shadow_outbox (
  seq BIGINT PRIMARY KEY,
  aggregate_key TEXT NOT NULL,
  operation TEXT NOT NULL,
  payload TEXT NOT NULL,
  recorded_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS shadow_outbox_origin (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  origin TEXT NOT NULL
);
INSERT INTO shadow_outbox_origin (id, origin)
  SELECT 1, 'postgres-' || substr(md5(random()::text || clock_timestamp()::text), 1, 16)
  WHERE NOT EXISTS (SELECT 1 FROM shadow_outbox_origin);
CREATE TABLE IF NOT EXISTS shadow_applier_lease (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  holder TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
INSERT INTO shadow_applier_lease (id, holder, expires_at) SELECT 1, '', 0 WHERE NOT EXISTS (SELECT 1 FROM shadow_applier_lease);
CREATE TABLE IF NOT EXISTS shadow_applied (
  origin TEXT PRIMARY KEY,
  seq BIGINT NOT NULL,
  applied_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS shadow_dead_letters (
  origin TEXT NOT NULL,
  seq BIGINT NOT NULL,
  aggregate_key TEXT NOT NULL,
  operation TEXT NOT NULL,
  payload TEXT NOT NULL,
  error TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  dead_at BIGINT NOT NULL,
  PRIMARY KEY (origin, seq)
);
INSERT INTO shadow_outbox (seq, aggregate_key, operation, payload, recorded_at)
  SELECT row_number() OVER (ORDER BY recorded_at, seq), aggregate_key, operation, payload, recorded_at / 1000
  FROM shadow_journal WHERE target = 'sqlite';
SELECT setval('shadow_outbox_seq', COALESCE((SELECT MAX(seq) FROM shadow_outbox), 0) + 1, false);
DROP TABLE IF EXISTS shadow_journal;

-- postgres 7_stored_search_vector
CREATE OR REPLACE FUNCTION messages_search_vector(message_content text, tool_name text, username text)
  RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1000
  AS $$BEGIN RETURN pg_catalog.to_tsvector('pg_catalog.simple'::pg_catalog.regconfig, pg_catalog.regexp_replace(pg_catalog.regexp_replace(CASE WHEN (coalesce(message_content, '') OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) coalesce(tool_name, '') OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) coalesce(username, '')) OPERATOR(pg_catalog.~) E'[\\u00c0-\\u00c5\\u00e0-\\u00e5\\u0100-\\u0105\\u01cd-\\u01ce\\u01de-\\u01df\\u01fa-\\u01fb\\u0200-\\u0203\\u0226-\\u0227\\u1e00-\\u1e01\\u1ea0-\\u1eb7\\u212b\\u1e02-\\u1e07\\u00c7\\u00e7\\u0106-\\u010d\\u1e08-\\u1e09\\u010e-\\u010f\\u1e0a-\\u1e13\\u00c8-\\u00cb\\u00e8-\\u00eb\\u0112-\\u011b\\u0204-\\u0207\\u0228-\\u0229\\u1e14-\\u1e1d\\u1eb8-\\u1ec7\\u1e1e-\\u1e1f\\u011c-\\u0123\\u01e6-\\u01e7\\u01f4-\\u01f5\\u1e20-\\u1e21\\u0124-\\u0125\\u021e-\\u021f\\u1e22-\\u1e2b\\u1e96\\u00cc-\\u00cf\\u00ec-\\u00ef\\u0128-\\u0130\\u01cf-\\u01d0\\u0208-\\u020b\\u1e2c-\\u1e2f\\u1ec8-\\u1ecb\\u0134-\\u0135\\u01f0\\u0136-\\u0137\\u01e8-\\u01e9\\u1e30-\\u1e35\\u0139-\\u013e\\u1e36-\\u1e43\\u00d1\\u00f1\\u0143-\\u0148\\u01f8-\\u01f9\\u1e44-\\u1e4b\\u00d2-\\u00d6\\u00f2-\\u00f6\\u014c-\\u0151\\u01a0-\\u01a1\\u01d1-\\u01d2\\u01ea-\\u01ed\\u020c-\\u020f\\u022a-\\u0231\\u1e4c-\\u1e53\\u1ecc-\\u1ee3\\u1e54-\\u1e57\\u0154-\\u0159\\u0210-\\u0213\\u1e58-\\u1e5f\\u015a-\\u0161\\u017f\\u0218-\\u0219\\u1e60-\\u1e69\\u1e9b\\u0162-\\u0165\\u021a-\\u021b\\u1e6a-\\u1e71\\u1e97\\u00d9-\\u00dc\\u00f9-\\u00fc\\u0168-\\u0173\\u01af-\\u01b0\\u01d3-\\u01dc\\u0214-\\u0217\\u1e72-\\u1e7b\\u1ee4-\\u1ef1\\u1e7c-\\u1e7f\\u0174-\\u0175\\u1e80-\\u1e89\\u1e98\\u1e8a-\\u1e8d\\u00dd\\u00fd\\u00ff\\u0176-\\u0178\\u0232-\\u0233\\u1e8e-\\u1e8f\\u1e99\\u1ef2-\\u1ef9\\u0179-\\u017e\\u1e90-\\u1e95\\u03d0\\u03f5\\u03d1\\u0345\\u1fbe\\u03f0\\u00b5\\u03d6\\u03f1\\u03c2\\u03d5]' THEN pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.regexp_replace(coalesce(message_content, '') OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) coalesce(tool_name, '') OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) coalesce(username, ''), E'[\\u00c0-\\u00c5\\u00e0-\\u00e5\\u0100-\\u0105\\u01cd-\\u01ce\\u01de-\\u01df\\u01fa-\\u01fb\\u0200-\\u0203\\u0226-\\u0227\\u1e00-\\u1e01\\u1ea0-\\u1eb7\\u212b]', 'a', 'g'), E'[\\u1e02-\\u1e07]', 'b', 'g'), E'[\\u00c7\\u00e7\\u0106-\\u010d\\u1e08-\\u1e09]', 'c', 'g'), E'[\\u010e-\\u010f\\u1e0a-\\u1e13]', 'd', 'g'), E'[\\u00c8-\\u00cb\\u00e8-\\u00eb\\u0112-\\u011b\\u0204-\\u0207\\u0228-\\u0229\\u1e14-\\u1e1d\\u1eb8-\\u1ec7]', 'e', 'g'), E'[\\u1e1e-\\u1e1f]', 'f', 'g'), E'[\\u011c-\\u0123\\u01e6-\\u01e7\\u01f4-\\u01f5\\u1e20-\\u1e21]', 'g', 'g'), E'[\\u0124-\\u0125\\u021e-\\u021f\\u1e22-\\u1e2b\\u1e96]', 'h', 'g'), E'[\\u00cc-\\u00cf\\u00ec-\\u00ef\\u0128-\\u0130\\u01cf-\\u01d0\\u0208-\\u020b\\u1e2c-\\u1e2f\\u1ec8-\\u1ecb]', 'i', 'g'), E'[\\u0134-\\u0135\\u01f0]', 'j', 'g'), E'[\\u0136-\\u0137\\u01e8-\\u01e9\\u1e30-\\u1e35]', 'k', 'g'), E'[\\u0139-\\u013e\\u1e36-\\u1e3d]', 'l', 'g'), E'[\\u1e3e-\\u1e43]', 'm', 'g'), E'[\\u00d1\\u00f1\\u0143-\\u0148\\u01f8-\\u01f9\\u1e44-\\u1e4b]', 'n', 'g'), E'[\\u00d2-\\u00d6\\u00f2-\\u00f6\\u014c-\\u0151\\u01a0-\\u01a1\\u01d1-\\u01d2\\u01ea-\\u01ed\\u020c-\\u020f\\u022a-\\u0231\\u1e4c-\\u1e53\\u1ecc-\\u1ee3]', 'o', 'g'), E'[\\u1e54-\\u1e57]', 'p', 'g'), E'[\\u0154-\\u0159\\u0210-\\u0213\\u1e58-\\u1e5f]', 'r', 'g'), E'[\\u015a-\\u0161\\u017f\\u0218-\\u0219\\u1e60-\\u1e69\\u1e9b]', 's', 'g'), E'[\\u0162-\\u0165\\u021a-\\u021b\\u1e6a-\\u1e71\\u1e97]', 't', 'g'), E'[\\u00d9-\\u00dc\\u00f9-\\u00fc\\u0168-\\u0173\\u01af-\\u01b0\\u01d3-\\u01dc\\u0214-\\u0217\\u1e72-\\u1e7b\\u1ee4-\\u1ef1]', 'u', 'g'), E'[\\u1e7c-\\u1e7f]', 'v', 'g'), E'[\\u0174-\\u0175\\u1e80-\\u1e89\\u1e98]', 'w', 'g'), E'[\\u1e8a-\\u1e8d]', 'x', 'g'), E'[\\u00dd\\u00fd\\u00ff\\u0176-\\u0178\\u0232-\\u0233\\u1e8e-\\u1e8f\\u1e99\\u1ef2-\\u1ef9]', 'y', 'g'), E'[\\u0179-\\u017e\\u1e90-\\u1e95]', 'z', 'g'), E'[\\u03d0]', 'β', 'g'), E'[\\u03f5]', 'ε', 'g'), E'[\\u03d1]', 'θ', 'g'), E'[\\u0345\\u1fbe]', 'ι', 'g'), E'[\\u03f0]', 'κ', 'g'), E'[\\u00b5]', 'μ', 'g'), E'[\\u03d6]', 'π', 'g'), E'[\\u03f1]', 'ρ', 'g'), E'[\\u03c2]', 'σ', 'g'), E'[\\u03d5]', 'φ', 'g') ELSE coalesce(message_content, '') OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) coalesce(tool_name, '') OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) coalesce(username, '') END, E'[\\u0300-\\u0304\\u0306-\\u030c\\u030f\\u0311\\u031b\\u0323-\\u0328\\u032d-\\u032e\\u0330-\\u0331]', '', 'g'), E'[\\x01-\\x1f\\x21-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f\\u0080-\\u00a9\\u00ab-\\u00b4\\u00b6-\\u00b9\\u00bb-\\u00bf\\u00d7\\u00f7\\u02c2-\\u02c5\\u02d2-\\u02df\\u02e5-\\u02eb\\u02ed\\u02ef-\\u02ff\\u0375\\u037e\\u0384-\\u0385\\u0387\\u03f6\\u0482\\u055a-\\u055f\\u0589-\\u058f\\u05be\\u05c0\\u05c3\\u05c6\\u05f3-\\u060f\\u061b-\\u061f\\u066a-\\u066d\\u06d4\\u06dd-\\u06de\\u06e9\\u06fd-\\u06fe\\u0700-\\u070f\\u07f6-\\u07f9\\u07fe-\\u07ff\\u0830-\\u083e\\u085e\\u0888\\u0890-\\u0891\\u08e2\\u0964-\\u0965\\u0970\\u09f2-\\u09fb\\u09fd\\u0a76\\u0af0-\\u0af1\\u0b70\\u0b72-\\u0b77\\u0bf0-\\u0bfa\\u0c77-\\u0c7f\\u0c84\\u0d4f\\u0d58-\\u0d5e\\u0d70-\\u0d79\\u0df4\\u0e3f\\u0e4f\\u0e5a-\\u0e5b\\u0f01-\\u0f17\\u0f1a-\\u0f1f\\u0f2a-\\u0f34\\u0f36\\u0f38\\u0f3a-\\u0f3d\\u0f85\\u0fbe-\\u0fc5\\u0fc7-\\u0fda\\u104a-\\u104f\\u109e-\\u109f\\u10fb\\u1360-\\u137c\\u1390-\\u1399\\u1400\\u166d-\\u166e\\u1680\\u169b-\\u169c\\u16eb-\\u16ed\\u1735-\\u1736\\u17d4-\\u17d6\\u17d8-\\u17db\\u17f0-\\u180a\\u180e\\u1940-\\u1945\\u19da-\\u19ff\\u1a1e-\\u1a1f\\u1aa0-\\u1aa6\\u1aa8-\\u1aad\\u1b4e-\\u1b4f\\u1b5a-\\u1b6a\\u1b74-\\u1b7f\\u1bfc-\\u1bff\\u1c3b-\\u1c3f\\u1c7e-\\u1c7f\\u1cc0-\\u1cc7\\u1cd3\\u1fbd\\u1fbf-\\u1fc1\\u1fcd-\\u1fcf\\u1fdd-\\u1fdf\\u1fed-\\u1fef\\u1ffd-\\u2070\\u2074-\\u207e\\u2080-\\u208e\\u20a0-\\u20c1\\u2100-\\u2101\\u2103-\\u2106\\u2108-\\u2109\\u2114\\u2116-\\u2118\\u211e-\\u2123\\u2125\\u2127\\u2129\\u212e\\u213a-\\u213b\\u2140-\\u2144\\u214a-\\u214d\\u214f-\\u215f\\u2189-\\u2bff\\u2ce5-\\u2cea\\u2cf9-\\u2cff\\u2d70\\u2e00-\\u2e2e\\u2e30-\\u3004\\u3008-\\u3020\\u3030\\u3036-\\u3037\\u303d-\\u303f\\u309b-\\u309c\\u30a0\\u30fb\\u3190-\\u319f\\u31c0-\\u31ef\\u3200-\\u33ff\\u4dc0-\\u4dff\\ua490-\\ua4c6\\ua4fe-\\ua4ff\\ua60d-\\ua60f\\ua673\\ua67e\\ua6f2-\\ua716\\ua720-\\ua721\\ua789-\\ua78a\\ua828-\\ua82b\\ua830-\\ua839\\ua874-\\ua877\\ua8ce-\\ua8cf\\ua8f8-\\ua8fa\\ua8fc\\ua92e-\\ua92f\\ua95f\\ua9c1-\\ua9cd\\ua9de-\\ua9df\\uaa5c-\\uaa5f\\uaa77-\\uaa79\\uaade-\\uaadf\\uaaf0-\\uaaf1\\uab5b\\uab6a-\\uab6b\\uabeb\\ufb29\\ufbb2-\\ufbd2\\ufd3e-\\ufd4f\\ufd90-\\ufd91\\ufdc8-\\ufdcf\\ufdfc-\\ufdff\\ufe10-\\ufe19\\ufe30-\\ufe6b\\ufeff-\\uff0f\\uff1a-\\uff20\\uff3b-\\uff40\\uff5b-\\uff65\\uffe0-\\ufffd\\U00010100-\\U0001013f\\U00010175-\\U000101fc\\U000102e1-\\U000102fb\\U00010320-\\U00010323\\U0001039f\\U000103d0\\U0001056f\\U00010857-\\U0001085f\\U00010877-\\U0001087f\\U000108a7-\\U000108af\\U000108fb-\\U000108ff\\U00010916-\\U0001091f\\U0001093f\\U000109bc-\\U000109bd\\U000109c0-\\U000109ff\\U00010a40-\\U00010a58\\U00010a7d-\\U00010a7f\\U00010a9d-\\U00010a9f\\U00010ac8\\U00010aeb-\\U00010af6\\U00010b39-\\U00010b3f\\U00010b58-\\U00010b5f\\U00010b78-\\U00010b7f\\U00010b99-\\U00010baf\\U00010cfa-\\U00010cff\\U00010d6e\\U00010d8e-\\U00010e7e\\U00010ead\\U00010ed0-\\U00010ed8\\U00010f1d-\\U00010f26\\U00010f51-\\U00010f59\\U00010f86-\\U00010f89\\U00010fc5-\\U00010fcb\\U00011047-\\U00011065\\U000110bb-\\U000110c1\\U000110cd\\U00011140-\\U00011143\\U00011174-\\U00011175\\U000111c5-\\U000111c8\\U000111cd\\U000111db\\U000111dd-\\U000111f4\\U00011238-\\U0001123d\\U000112a9\\U000113d4-\\U000113d8\\U0001144b-\\U0001144f\\U0001145a-\\U0001145d\\U000114c6\\U000115c1-\\U000115d7\\U00011641-\\U00011643\\U00011660-\\U0001166c\\U000116b9\\U0001173a-\\U0001173f\\U0001183b\\U000118ea-\\U000118f2\\U00011944-\\U00011946\\U000119e2\\U00011a3f-\\U00011a46\\U00011a9a-\\U00011a9c\\U00011a9e-\\U00011aa2\\U00011b00-\\U00011b09\\U00011be1\\U00011c41-\\U00011c45\\U00011c5a-\\U00011c71\\U00011ef7-\\U00011ef8\\U00011f43-\\U00011f4f\\U00011fc0-\\U00011fff\\U00012470-\\U00012474\\U00012ff1-\\U00012ff2\\U00013430-\\U0001343f\\U00016a6e-\\U00016a6f\\U00016af5\\U00016b37-\\U00016b3f\\U00016b44-\\U00016b45\\U00016b5b-\\U00016b61\\U00016d6d-\\U00016d6f\\U00016e80-\\U00016e9a\\U00016fe2\\U0001bc9c\\U0001bc9f-\\U0001ccef\\U0001ccfa-\\U0001cef0\\U0001cf50-\\U0001d164\\U0001d16a-\\U0001d16c\\U0001d173-\\U0001d17a\\U0001d183-\\U0001d184\\U0001d18c-\\U0001d1a9\\U0001d1ae-\\U0001d241\\U0001d245-\\U0001d378\\U0001d6c1\\U0001d6db\\U0001d6fb\\U0001d715\\U0001d735\\U0001d74f\\U0001d76f\\U0001d789\\U0001d7a9\\U0001d7c3\\U0001d800-\\U0001d9ff\\U0001da37-\\U0001da3a\\U0001da6d-\\U0001da74\\U0001da76-\\U0001da83\\U0001da85-\\U0001da8b\\U0001e14f\\U0001e2ff\\U0001e5ff\\U0001e8c7-\\U0001e8cf\\U0001e95e-\\U0001ed3d\\U0001eef0-\\U0001fbef\\U0001fbfa\\U000e0001-\\U000e007f]', ' ', 'g')); END$$;
DROP INDEX IF EXISTS idx_messages_fts;
ALTER TABLE messages ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS (messages_search_vector(message_content, tool_name, username)) STORED;
CREATE INDEX IF NOT EXISTS idx_messages_fts ON messages USING GIN (search_vector);

-- postgres 8_read_indexes
CREATE INDEX IF NOT EXISTS idx_messages_user_time ON messages (user_id, timestamp DESC, id DESC);
CREATE INDEX IF NOT EXISTS idx_messages_user_sender_time ON messages (user_id, sender_type, timestamp DESC, id DESC);
CREATE INDEX IF NOT EXISTS idx_messages_channel_time ON messages (channel_id, timestamp DESC, id DESC);
CREATE INDEX IF NOT EXISTS idx_messages_time ON messages (timestamp DESC, id DESC) WHERE (id >= '') IS TRUE;
DROP INDEX IF EXISTS idx_messages_user_id;
DROP INDEX IF EXISTS idx_messages_channel_id;
DROP INDEX IF EXISTS idx_messages_timestamp;
CREATE INDEX IF NOT EXISTS idx_queries_user_time ON queries (user_id, timestamp DESC, id DESC);
CREATE INDEX IF NOT EXISTS idx_queries_time ON queries (timestamp DESC, id DESC) WHERE (id >= '') IS TRUE;
DROP INDEX IF EXISTS idx_queries_user_id;
DROP INDEX IF EXISTS idx_queries_timestamp;
CREATE INDEX IF NOT EXISTS idx_documents_creator_updated ON documents (created_by, updated_at DESC NULLS LAST, id DESC);
DROP INDEX IF EXISTS idx_documents_created_by;
CREATE INDEX IF NOT EXISTS idx_documents_updated ON documents (updated_at DESC NULLS LAST, id DESC) WHERE (id >= '') IS TRUE;
DROP INDEX IF EXISTS idx_documents_updated_at;
CREATE INDEX IF NOT EXISTS idx_user_profiles_last_interaction ON user_profiles (last_interaction_at DESC, created_at DESC NULLS LAST, id DESC);
CREATE INDEX IF NOT EXISTS idx_user_profiles_needing_analysis ON user_profiles (last_interaction_at DESC, created_at DESC NULLS LAST, id DESC) WHERE last_analyzed_at IS NULL OR last_analyzed_at < last_interaction_at;
CREATE INDEX IF NOT EXISTS idx_analysis_history_user_time ON user_analysis_history (user_id, analysis_timestamp DESC, id DESC);
DROP INDEX IF EXISTS idx_analysis_history_user_id;

-- postgres 9_filter_bitmaps
CREATE INDEX IF NOT EXISTS idx_messages_user_id ON messages(user_id);
CREATE INDEX IF NOT EXISTS idx_messages_channel_id ON messages(channel_id);

-- postgres 10_row_tallies
CREATE TABLE IF NOT EXISTS row_tallies (
  dimension TEXT NOT NULL,
  key TEXT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (dimension, key)
);
CREATE OR REPLACE FUNCTION messages_tally_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('omega.skip_tallies', true) = 'on' THEN RETURN NULL; END IF;
  INSERT INTO row_tallies (dimension, key, n)
   SELECT dimension, key, sum(n) FROM (SELECT 'messages.channel_id' AS dimension, channel_id AS key, 1 AS n FROM tally_new WHERE channel_id IS NOT NULL
   UNION ALL SELECT 'messages.user_id', user_id, 1 FROM tally_new WHERE user_id IS NOT NULL
   UNION ALL SELECT 'messages.user_id.' || coalesce(sender_type, ''), user_id, 1 FROM tally_new
     WHERE user_id IS NOT NULL) AS delta GROUP BY dimension, key HAVING sum(n) <> 0
   ORDER BY dimension, key
   ON CONFLICT (dimension, key) DO UPDATE SET n = row_tallies.n + excluded.n;
  RETURN NULL;
END$$;
CREATE OR REPLACE FUNCTION messages_tally_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('omega.skip_tallies', true) = 'on' THEN RETURN NULL; END IF;
  INSERT INTO row_tallies (dimension, key, n)
   SELECT dimension, key, sum(n) FROM (SELECT 'messages.channel_id' AS dimension, channel_id AS key, -1 AS n FROM tally_old WHERE channel_id IS NOT NULL
   UNION ALL SELECT 'messages.user_id', user_id, -1 FROM tally_old WHERE user_id IS NOT NULL
   UNION ALL SELECT 'messages.user_id.' || coalesce(sender_type, ''), user_id, -1 FROM tally_old
     WHERE user_id IS NOT NULL) AS delta GROUP BY dimension, key HAVING sum(n) <> 0
   ORDER BY dimension, key
   ON CONFLICT (dimension, key) DO UPDATE SET n = row_tallies.n + excluded.n;
  RETURN NULL;
END$$;
CREATE OR REPLACE FUNCTION messages_tally_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('omega.skip_tallies', true) = 'on' THEN RETURN NULL; END IF;
  INSERT INTO row_tallies (dimension, key, n)
   SELECT dimension, key, sum(n) FROM (SELECT 'messages.channel_id' AS dimension, channel_id AS key, 1 AS n FROM tally_new WHERE channel_id IS NOT NULL
   UNION ALL SELECT 'messages.user_id', user_id, 1 FROM tally_new WHERE user_id IS NOT NULL
   UNION ALL SELECT 'messages.user_id.' || coalesce(sender_type, ''), user_id, 1 FROM tally_new
     WHERE user_id IS NOT NULL UNION ALL SELECT 'messages.channel_id' AS dimension, channel_id AS key, -1 AS n FROM tally_old WHERE channel_id IS NOT NULL
   UNION ALL SELECT 'messages.user_id', user_id, -1 FROM tally_old WHERE user_id IS NOT NULL
   UNION ALL SELECT 'messages.user_id.' || coalesce(sender_type, ''), user_id, -1 FROM tally_old
     WHERE user_id IS NOT NULL) AS delta GROUP BY dimension, key HAVING sum(n) <> 0
   ORDER BY dimension, key
   ON CONFLICT (dimension, key) DO UPDATE SET n = row_tallies.n + excluded.n;
  RETURN NULL;
END$$;
CREATE OR REPLACE FUNCTION messages_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM row_tallies WHERE dimension LIKE 'messages.%';
  RETURN NULL;
END$$;
DROP TRIGGER IF EXISTS messages_tally_insert ON messages;
CREATE TRIGGER messages_tally_insert AFTER INSERT ON messages REFERENCING NEW TABLE AS tally_new
   FOR EACH STATEMENT EXECUTE FUNCTION messages_tally_insert();
DROP TRIGGER IF EXISTS messages_tally_delete ON messages;
CREATE TRIGGER messages_tally_delete AFTER DELETE ON messages REFERENCING OLD TABLE AS tally_old
   FOR EACH STATEMENT EXECUTE FUNCTION messages_tally_delete();
DROP TRIGGER IF EXISTS messages_tally_update ON messages;
CREATE TRIGGER messages_tally_update AFTER UPDATE ON messages
   REFERENCING NEW TABLE AS tally_new OLD TABLE AS tally_old
   FOR EACH STATEMENT EXECUTE FUNCTION messages_tally_update();
DROP TRIGGER IF EXISTS messages_tally_truncate ON messages;
CREATE TRIGGER messages_tally_truncate AFTER TRUNCATE ON messages
   FOR EACH STATEMENT EXECUTE FUNCTION messages_tally_truncate();
DELETE FROM row_tallies WHERE dimension LIKE 'messages.%';
INSERT INTO row_tallies (dimension, key, n)
   SELECT dimension, key, sum(n) FROM (SELECT 'messages.channel_id' AS dimension, channel_id AS key, 1 AS n FROM messages WHERE channel_id IS NOT NULL
   UNION ALL SELECT 'messages.user_id', user_id, 1 FROM messages WHERE user_id IS NOT NULL
   UNION ALL SELECT 'messages.user_id.' || coalesce(sender_type, ''), user_id, 1 FROM messages
     WHERE user_id IS NOT NULL) AS delta GROUP BY dimension, key HAVING sum(n) <> 0
   ORDER BY dimension, key
   ON CONFLICT (dimension, key) DO UPDATE SET n = row_tallies.n + excluded.n;
CREATE OR REPLACE FUNCTION queries_tally_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('omega.skip_tallies', true) = 'on' THEN RETURN NULL; END IF;
  INSERT INTO row_tallies (dimension, key, n)
   SELECT dimension, key, sum(n) FROM (SELECT 'queries.user_id' AS dimension, user_id AS key, 1 AS n FROM tally_new WHERE user_id IS NOT NULL) AS delta GROUP BY dimension, key HAVING sum(n) <> 0
   ORDER BY dimension, key
   ON CONFLICT (dimension, key) DO UPDATE SET n = row_tallies.n + excluded.n;
  RETURN NULL;
END$$;
CREATE OR REPLACE FUNCTION queries_tally_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('omega.skip_tallies', true) = 'on' THEN RETURN NULL; END IF;
  INSERT INTO row_tallies (dimension, key, n)
   SELECT dimension, key, sum(n) FROM (SELECT 'queries.user_id' AS dimension, user_id AS key, -1 AS n FROM tally_old WHERE user_id IS NOT NULL) AS delta GROUP BY dimension, key HAVING sum(n) <> 0
   ORDER BY dimension, key
   ON CONFLICT (dimension, key) DO UPDATE SET n = row_tallies.n + excluded.n;
  RETURN NULL;
END$$;
CREATE OR REPLACE FUNCTION queries_tally_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('omega.skip_tallies', true) = 'on' THEN RETURN NULL; END IF;
  INSERT INTO row_tallies (dimension, key, n)
   SELECT dimension, key, sum(n) FROM (SELECT 'queries.user_id' AS dimension, user_id AS key, 1 AS n FROM tally_new WHERE user_id IS NOT NULL UNION ALL SELECT 'queries.user_id' AS dimension, user_id AS key, -1 AS n FROM tally_old WHERE user_id IS NOT NULL) AS delta GROUP BY dimension, key HAVING sum(n) <> 0
   ORDER BY dimension, key
   ON CONFLICT (dimension, key) DO UPDATE SET n = row_tallies.n + excluded.n;
  RETURN NULL;
END$$;
CREATE OR REPLACE FUNCTION queries_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM row_tallies WHERE dimension LIKE 'queries.%';
  RETURN NULL;
END$$;
DROP TRIGGER IF EXISTS queries_tally_insert ON queries;
CREATE TRIGGER queries_tally_insert AFTER INSERT ON queries REFERENCING NEW TABLE AS tally_new
   FOR EACH STATEMENT EXECUTE FUNCTION queries_tally_insert();
DROP TRIGGER IF EXISTS queries_tally_delete ON queries;
CREATE TRIGGER queries_tally_delete AFTER DELETE ON queries REFERENCING OLD TABLE AS tally_old
   FOR EACH STATEMENT EXECUTE FUNCTION queries_tally_delete();
DROP TRIGGER IF EXISTS queries_tally_update ON queries;
CREATE TRIGGER queries_tally_update AFTER UPDATE ON queries
   REFERENCING NEW TABLE AS tally_new OLD TABLE AS tally_old
   FOR EACH STATEMENT EXECUTE FUNCTION queries_tally_update();
DROP TRIGGER IF EXISTS queries_tally_truncate ON queries;
CREATE TRIGGER queries_tally_truncate AFTER TRUNCATE ON queries
   FOR EACH STATEMENT EXECUTE FUNCTION queries_tally_truncate();
DELETE FROM row_tallies WHERE dimension LIKE 'queries.%';
INSERT INTO row_tallies (dimension, key, n)
   SELECT dimension, key, sum(n) FROM (SELECT 'queries.user_id' AS dimension, user_id AS key, 1 AS n FROM queries WHERE user_id IS NOT NULL) AS delta GROUP BY dimension, key HAVING sum(n) <> 0
   ORDER BY dimension, key
   ON CONFLICT (dimension, key) DO UPDATE SET n = row_tallies.n + excluded.n;
