/**
 * The production legacy SQLite schema of the bot, embedded as string constants.
 *
 * Copied verbatim from shared/legacy/sqlite-schema.sql (minus its leading comment
 * block) so that the repo has no run-time dependency on ../shared. It is the input
 * contract of the migration: the legacy database generator applies it to build test,
 * benchmark and demo databases, and the migration must accept any database created
 * from it.
 *
 * Data quirks found in real databases of this schema (summary of the .sql comment):
 *   - messages.timestamp and queries.timestamp are epoch MILLISECONDS; every other
 *     *_at / timestamp column is epoch SECONDS (created_at defaults are seconds).
 *   - JSON is stored as TEXT (messages: tool_args, tool_result, metadata,
 *     sentiment_analysis, response_decision; queries: query_result,
 *     sentiment_analysis; documents: metadata; 14 user_profiles columns;
 *     user_analysis_history: feelings_snapshot, personality_snapshot) and is not
 *     always valid: queries.query_result held raw result text, old analysis
 *     snapshots held free text.
 *   - documents.is_public is INTEGER 0/1, older rows may hold NULL.
 *   - Foreign keys were never enforced: orphan document_collaborators and
 *     user_analysis_history rows can exist.
 *   - Type affinity lets any column hold any type (a REAL in an INTEGER column,
 *     '' in a numeric column).
 *   - TEXT may contain U+0000, which PostgreSQL cannot store.
 *   - The FTS5 triggers use a plain DELETE on an external-content table, which
 *     leaves stale terms in messages_fts after UPDATE and DELETE (they are kept
 *     verbatim here on purpose; SQLite documents the 'delete' command instead).
 *   - The last 18 user_profiles columns (cultural_background through
 *     personal_model_adjustments) were added later with ALTER TABLE ADD COLUMN;
 *     older databases lack them and there is no schema-version table.
 */

/** The full legacy schema, exactly as in production (tables, indexes, FTS5 table, triggers). */
export const legacySchemaSql: string = `CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  timestamp INTEGER NOT NULL,
  sender_type TEXT NOT NULL,
  user_id TEXT,
  username TEXT,
  channel_id TEXT,
  channel_name TEXT,
  guild_id TEXT,
  message_content TEXT NOT NULL,
  tool_name TEXT,
  tool_args TEXT,
  tool_result TEXT,
  session_id TEXT,
  parent_message_id TEXT,
  metadata TEXT,
  ai_summary TEXT,
  sentiment_analysis TEXT,
  response_decision TEXT,
  interaction_type TEXT,
  user_intent TEXT,
  bot_perception TEXT,
  conversation_quality TEXT,
  created_at INTEGER DEFAULT (strftime('%s', 'now')),
  CHECK (sender_type IN ('human', 'ai', 'tool'))
);
CREATE TABLE queries (
  id TEXT PRIMARY KEY,
  timestamp INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  username TEXT NOT NULL,
  query_text TEXT NOT NULL,
  translated_sql TEXT,
  ai_summary TEXT,
  query_result TEXT,
  result_count INTEGER,
  error TEXT,
  execution_time_ms INTEGER,
  sentiment_analysis TEXT,
  query_complexity TEXT,
  user_satisfaction TEXT,
  created_at INTEGER DEFAULT (strftime('%s', 'now'))
);
CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  content TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_by_username TEXT,
  created_at INTEGER DEFAULT (strftime('%s', 'now')),
  updated_at INTEGER DEFAULT (strftime('%s', 'now')),
  is_public INTEGER DEFAULT 1,
  metadata TEXT
);
CREATE TABLE document_collaborators (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  username TEXT,
  role TEXT DEFAULT 'editor',
  joined_at INTEGER DEFAULT (strftime('%s', 'now')),
  FOREIGN KEY (document_id) REFERENCES documents(id) ON DELETE CASCADE
);
CREATE TABLE user_profiles (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  username TEXT NOT NULL,
  dominant_archetype TEXT,
  secondary_archetypes TEXT,
  archetype_confidence REAL,
  shadow_archetype TEXT,
  openness_score INTEGER,
  conscientiousness_score INTEGER,
  extraversion_score INTEGER,
  agreeableness_score INTEGER,
  neuroticism_score INTEGER,
  attachment_style TEXT,
  attachment_confidence REAL,
  emotional_awareness_score INTEGER,
  empathy_score INTEGER,
  emotional_regulation_score INTEGER,
  communication_formality TEXT,
  communication_assertiveness TEXT,
  communication_engagement TEXT,
  verbal_fluency_score INTEGER,
  question_asking_frequency REAL,
  analytical_thinking_score INTEGER,
  creative_thinking_score INTEGER,
  abstract_reasoning_score INTEGER,
  concrete_thinking_score INTEGER,
  social_dominance_score INTEGER,
  cooperation_score INTEGER,
  conflict_style TEXT,
  humor_style TEXT,
  message_length_avg REAL,
  message_length_variance REAL,
  response_latency_avg REAL,
  emoji_usage_rate REAL,
  punctuation_style TEXT,
  capitalization_pattern TEXT,
  technical_knowledge_level TEXT,
  primary_interests TEXT,
  expertise_areas TEXT,
  affinity_score INTEGER,
  trust_level INTEGER,
  emotional_bond TEXT,
  omega_thoughts TEXT,
  notable_patterns TEXT,
  overall_sentiment TEXT,
  positive_interaction_ratio REAL,
  negative_interaction_ratio REAL,
  dominant_emotions TEXT,
  feelings_json TEXT,
  personality_facets TEXT,
  uploaded_photo_url TEXT,
  uploaded_photo_metadata TEXT,
  ai_appearance_description TEXT,
  appearance_confidence REAL DEFAULT 0.0,
  ai_detected_gender TEXT,
  gender_confidence REAL,
  estimated_age_range TEXT,
  age_confidence REAL,
  face_shape TEXT,
  facial_symmetry_score INTEGER,
  jawline_prominence TEXT,
  cheekbone_prominence TEXT,
  hair_color TEXT,
  hair_texture TEXT,
  hair_length TEXT,
  hair_style TEXT,
  hair_density TEXT,
  facial_hair TEXT,
  eye_color TEXT,
  eye_shape TEXT,
  eye_spacing TEXT,
  eyebrow_shape TEXT,
  eyebrow_thickness TEXT,
  nose_shape TEXT,
  nose_size TEXT,
  lip_fullness TEXT,
  smile_type TEXT,
  skin_tone TEXT,
  skin_texture TEXT,
  complexion_quality TEXT,
  body_type TEXT,
  build_description TEXT,
  height_estimate TEXT,
  posture TEXT,
  distinctive_features TEXT,
  clothing_style TEXT,
  accessories TEXT,
  attractiveness_assessment TEXT,
  approachability_score INTEGER,
  perceived_confidence_level TEXT,
  aesthetic_archetype TEXT,
  first_seen_at INTEGER NOT NULL,
  last_interaction_at INTEGER NOT NULL,
  last_analyzed_at INTEGER,
  last_photo_analyzed_at INTEGER,
  message_count INTEGER DEFAULT 0,
  created_at INTEGER DEFAULT (strftime('%s', 'now')),
  updated_at INTEGER DEFAULT (strftime('%s', 'now')),
  cultural_background TEXT,
  cultural_values TEXT,
  cultural_communication_style TEXT,
  cultural_confidence REAL,
  zodiac_sign TEXT,
  zodiac_element TEXT,
  zodiac_modality TEXT,
  birth_date TEXT,
  astrological_confidence REAL,
  predicted_behaviors TEXT,
  prediction_confidence REAL,
  prediction_timeframe TEXT,
  last_prediction_at INTEGER,
  prediction_accuracy_score REAL,
  integrated_profile_summary TEXT,
  profile_integration_confidence REAL,
  world_model_adjustments TEXT,
  personal_model_adjustments TEXT,
  UNIQUE (user_id)
);
CREATE TABLE user_analysis_history (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  analysis_timestamp INTEGER NOT NULL,
  feelings_snapshot TEXT,
  personality_snapshot TEXT,
  message_count_at_analysis INTEGER,
  changes_summary TEXT,
  created_at INTEGER DEFAULT (strftime('%s', 'now')),
  FOREIGN KEY (user_id) REFERENCES user_profiles(user_id) ON DELETE CASCADE
);
CREATE INDEX idx_collaborators_document_id ON document_collaborators(document_id);
CREATE UNIQUE INDEX idx_collaborators_unique ON document_collaborators(document_id, user_id);
CREATE INDEX idx_collaborators_user_id ON document_collaborators(user_id);
CREATE INDEX idx_documents_created_at ON documents(created_at DESC);
CREATE INDEX idx_documents_created_by ON documents(created_by);
CREATE INDEX idx_documents_updated_at ON documents(updated_at DESC);
CREATE INDEX idx_messages_channel_id ON messages(channel_id);
CREATE INDEX idx_messages_sender_type ON messages(sender_type);
CREATE INDEX idx_messages_session_id ON messages(session_id);
CREATE INDEX idx_messages_timestamp ON messages(timestamp DESC);
CREATE INDEX idx_messages_user_id ON messages(user_id);
CREATE INDEX idx_queries_timestamp ON queries(timestamp DESC);
CREATE INDEX idx_queries_user_id ON queries(user_id);
CREATE INDEX idx_analysis_history_timestamp ON user_analysis_history(analysis_timestamp DESC);
CREATE INDEX idx_analysis_history_user_id ON user_analysis_history(user_id);
CREATE INDEX idx_user_profiles_last_analyzed ON user_profiles(last_analyzed_at);
CREATE INDEX idx_user_profiles_user_id ON user_profiles(user_id);

CREATE VIRTUAL TABLE messages_fts USING fts5(
      message_content,
      tool_name,
      username,
      content='messages',
      content_rowid='rowid'
    );
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
      DELETE FROM messages_fts WHERE rowid = old.rowid;
    END;
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
      INSERT INTO messages_fts(rowid, message_content, tool_name, username)
      VALUES (new.rowid, new.message_content, new.tool_name, new.username);
    END;
CREATE TRIGGER messages_fts_update AFTER UPDATE ON messages BEGIN
      DELETE FROM messages_fts WHERE rowid = old.rowid;
      INSERT INTO messages_fts(rowid, message_content, tool_name, username)
      VALUES (new.rowid, new.message_content, new.tool_name, new.username);
    END;
`

/**
 * The 18 user_profiles columns that were added later with ALTER TABLE ADD COLUMN,
 * in table order (cultural_background through personal_model_adjustments).
 */
export const legacyLateProfileColumns = [
  "cultural_background",
  "cultural_values",
  "cultural_communication_style",
  "cultural_confidence",
  "zodiac_sign",
  "zodiac_element",
  "zodiac_modality",
  "birth_date",
  "astrological_confidence",
  "predicted_behaviors",
  "prediction_confidence",
  "prediction_timeframe",
  "last_prediction_at",
  "prediction_accuracy_score",
  "integrated_profile_summary",
  "profile_integration_confidence",
  "world_model_adjustments",
  "personal_model_adjustments"
] as const

/** Drops the late column definitions from the CREATE TABLE user_profiles statement only. */
const withoutLateProfileColumns = (sql: string): string => {
  const late: ReadonlySet<string> = new Set(legacyLateProfileColumns)
  let inProfiles = false
  const kept: Array<string> = []
  for (const line of sql.split("\n")) {
    if (line.startsWith("CREATE TABLE user_profiles (")) inProfiles = true
    else if (inProfiles && line.startsWith(")")) inProfiles = false
    const column = inProfiles ? /^ {2}([a-z_]+) /.exec(line)?.[1] : undefined
    if (column === undefined || !late.has(column)) kept.push(line)
  }
  return kept.join("\n")
}

/**
 * The older historical form of the schema: identical to {@link legacySchemaSql} except that
 * CREATE TABLE user_profiles lacks the 18 {@link legacyLateProfileColumns}.
 */
export const legacySchemaSqlEarly: string = withoutLateProfileColumns(legacySchemaSql)
