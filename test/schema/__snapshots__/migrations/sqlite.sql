-- sqlite 1_legacy_baseline
CREATE TABLE IF NOT EXISTS messages (
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
CREATE TABLE IF NOT EXISTS queries (
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
CREATE TABLE IF NOT EXISTS documents (
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
CREATE TABLE IF NOT EXISTS document_collaborators (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  username TEXT,
  role TEXT DEFAULT 'editor',
  joined_at INTEGER DEFAULT (strftime('%s', 'now')),
  FOREIGN KEY (document_id) REFERENCES documents(id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS user_profiles (
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
CREATE TABLE IF NOT EXISTS user_analysis_history (
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
CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(
      message_content,
      tool_name,
      username,
      content='messages',
      content_rowid='rowid'
    );
SELECT name FROM pragma_table_info('user_profiles');
ALTER TABLE user_profiles ADD COLUMN "id" TEXT;
ALTER TABLE user_profiles ADD COLUMN "user_id" TEXT;
ALTER TABLE user_profiles ADD COLUMN "username" TEXT;
ALTER TABLE user_profiles ADD COLUMN "dominant_archetype" TEXT;
ALTER TABLE user_profiles ADD COLUMN "secondary_archetypes" TEXT;
ALTER TABLE user_profiles ADD COLUMN "archetype_confidence" REAL;
ALTER TABLE user_profiles ADD COLUMN "shadow_archetype" TEXT;
ALTER TABLE user_profiles ADD COLUMN "openness_score" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "conscientiousness_score" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "extraversion_score" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "agreeableness_score" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "neuroticism_score" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "attachment_style" TEXT;
ALTER TABLE user_profiles ADD COLUMN "attachment_confidence" REAL;
ALTER TABLE user_profiles ADD COLUMN "emotional_awareness_score" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "empathy_score" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "emotional_regulation_score" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "communication_formality" TEXT;
ALTER TABLE user_profiles ADD COLUMN "communication_assertiveness" TEXT;
ALTER TABLE user_profiles ADD COLUMN "communication_engagement" TEXT;
ALTER TABLE user_profiles ADD COLUMN "verbal_fluency_score" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "question_asking_frequency" REAL;
ALTER TABLE user_profiles ADD COLUMN "analytical_thinking_score" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "creative_thinking_score" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "abstract_reasoning_score" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "concrete_thinking_score" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "social_dominance_score" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "cooperation_score" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "conflict_style" TEXT;
ALTER TABLE user_profiles ADD COLUMN "humor_style" TEXT;
ALTER TABLE user_profiles ADD COLUMN "message_length_avg" REAL;
ALTER TABLE user_profiles ADD COLUMN "message_length_variance" REAL;
ALTER TABLE user_profiles ADD COLUMN "response_latency_avg" REAL;
ALTER TABLE user_profiles ADD COLUMN "emoji_usage_rate" REAL;
ALTER TABLE user_profiles ADD COLUMN "punctuation_style" TEXT;
ALTER TABLE user_profiles ADD COLUMN "capitalization_pattern" TEXT;
ALTER TABLE user_profiles ADD COLUMN "technical_knowledge_level" TEXT;
ALTER TABLE user_profiles ADD COLUMN "primary_interests" TEXT;
ALTER TABLE user_profiles ADD COLUMN "expertise_areas" TEXT;
ALTER TABLE user_profiles ADD COLUMN "affinity_score" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "trust_level" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "emotional_bond" TEXT;
ALTER TABLE user_profiles ADD COLUMN "omega_thoughts" TEXT;
ALTER TABLE user_profiles ADD COLUMN "notable_patterns" TEXT;
ALTER TABLE user_profiles ADD COLUMN "overall_sentiment" TEXT;
ALTER TABLE user_profiles ADD COLUMN "positive_interaction_ratio" REAL;
ALTER TABLE user_profiles ADD COLUMN "negative_interaction_ratio" REAL;
ALTER TABLE user_profiles ADD COLUMN "dominant_emotions" TEXT;
ALTER TABLE user_profiles ADD COLUMN "feelings_json" TEXT;
ALTER TABLE user_profiles ADD COLUMN "personality_facets" TEXT;
ALTER TABLE user_profiles ADD COLUMN "uploaded_photo_url" TEXT;
ALTER TABLE user_profiles ADD COLUMN "uploaded_photo_metadata" TEXT;
ALTER TABLE user_profiles ADD COLUMN "ai_appearance_description" TEXT;
ALTER TABLE user_profiles ADD COLUMN "appearance_confidence" REAL;
ALTER TABLE user_profiles ADD COLUMN "ai_detected_gender" TEXT;
ALTER TABLE user_profiles ADD COLUMN "gender_confidence" REAL;
ALTER TABLE user_profiles ADD COLUMN "estimated_age_range" TEXT;
ALTER TABLE user_profiles ADD COLUMN "age_confidence" REAL;
ALTER TABLE user_profiles ADD COLUMN "face_shape" TEXT;
ALTER TABLE user_profiles ADD COLUMN "facial_symmetry_score" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "jawline_prominence" TEXT;
ALTER TABLE user_profiles ADD COLUMN "cheekbone_prominence" TEXT;
ALTER TABLE user_profiles ADD COLUMN "hair_color" TEXT;
ALTER TABLE user_profiles ADD COLUMN "hair_texture" TEXT;
ALTER TABLE user_profiles ADD COLUMN "hair_length" TEXT;
ALTER TABLE user_profiles ADD COLUMN "hair_style" TEXT;
ALTER TABLE user_profiles ADD COLUMN "hair_density" TEXT;
ALTER TABLE user_profiles ADD COLUMN "facial_hair" TEXT;
ALTER TABLE user_profiles ADD COLUMN "eye_color" TEXT;
ALTER TABLE user_profiles ADD COLUMN "eye_shape" TEXT;
ALTER TABLE user_profiles ADD COLUMN "eye_spacing" TEXT;
ALTER TABLE user_profiles ADD COLUMN "eyebrow_shape" TEXT;
ALTER TABLE user_profiles ADD COLUMN "eyebrow_thickness" TEXT;
ALTER TABLE user_profiles ADD COLUMN "nose_shape" TEXT;
ALTER TABLE user_profiles ADD COLUMN "nose_size" TEXT;
ALTER TABLE user_profiles ADD COLUMN "lip_fullness" TEXT;
ALTER TABLE user_profiles ADD COLUMN "smile_type" TEXT;
ALTER TABLE user_profiles ADD COLUMN "skin_tone" TEXT;
ALTER TABLE user_profiles ADD COLUMN "skin_texture" TEXT;
ALTER TABLE user_profiles ADD COLUMN "complexion_quality" TEXT;
ALTER TABLE user_profiles ADD COLUMN "body_type" TEXT;
ALTER TABLE user_profiles ADD COLUMN "build_description" TEXT;
ALTER TABLE user_profiles ADD COLUMN "height_estimate" TEXT;
ALTER TABLE user_profiles ADD COLUMN "posture" TEXT;
ALTER TABLE user_profiles ADD COLUMN "distinctive_features" TEXT;
ALTER TABLE user_profiles ADD COLUMN "clothing_style" TEXT;
ALTER TABLE user_profiles ADD COLUMN "accessories" TEXT;
ALTER TABLE user_profiles ADD COLUMN "attractiveness_assessment" TEXT;
ALTER TABLE user_profiles ADD COLUMN "approachability_score" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "perceived_confidence_level" TEXT;
ALTER TABLE user_profiles ADD COLUMN "aesthetic_archetype" TEXT;
ALTER TABLE user_profiles ADD COLUMN "first_seen_at" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "last_interaction_at" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "last_analyzed_at" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "last_photo_analyzed_at" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "message_count" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "created_at" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "updated_at" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "cultural_background" TEXT;
ALTER TABLE user_profiles ADD COLUMN "cultural_values" TEXT;
ALTER TABLE user_profiles ADD COLUMN "cultural_communication_style" TEXT;
ALTER TABLE user_profiles ADD COLUMN "cultural_confidence" REAL;
ALTER TABLE user_profiles ADD COLUMN "zodiac_sign" TEXT;
ALTER TABLE user_profiles ADD COLUMN "zodiac_element" TEXT;
ALTER TABLE user_profiles ADD COLUMN "zodiac_modality" TEXT;
ALTER TABLE user_profiles ADD COLUMN "birth_date" TEXT;
ALTER TABLE user_profiles ADD COLUMN "astrological_confidence" REAL;
ALTER TABLE user_profiles ADD COLUMN "predicted_behaviors" TEXT;
ALTER TABLE user_profiles ADD COLUMN "prediction_confidence" REAL;
ALTER TABLE user_profiles ADD COLUMN "prediction_timeframe" TEXT;
ALTER TABLE user_profiles ADD COLUMN "last_prediction_at" INTEGER;
ALTER TABLE user_profiles ADD COLUMN "prediction_accuracy_score" REAL;
ALTER TABLE user_profiles ADD COLUMN "integrated_profile_summary" TEXT;
ALTER TABLE user_profiles ADD COLUMN "profile_integration_confidence" REAL;
ALTER TABLE user_profiles ADD COLUMN "world_model_adjustments" TEXT;
ALTER TABLE user_profiles ADD COLUMN "personal_model_adjustments" TEXT;
DROP TRIGGER IF EXISTS messages_fts_delete;
DROP TRIGGER IF EXISTS messages_fts_insert;
DROP TRIGGER IF EXISTS messages_fts_update;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, message_content, tool_name, username) VALUES ('delete', old.rowid, old.message_content, old.tool_name, old.username);
END;
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
  INSERT INTO messages_fts(rowid, message_content, tool_name, username) VALUES (new.rowid, new.message_content, new.tool_name, new.username);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE ON messages BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, message_content, tool_name, username) VALUES ('delete', old.rowid, old.message_content, old.tool_name, old.username);
  INSERT INTO messages_fts(rowid, message_content, tool_name, username) VALUES (new.rowid, new.message_content, new.tool_name, new.username);
END;
INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');

-- sqlite 2_shadow_journal
CREATE TABLE IF NOT EXISTS shadow_journal (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  target TEXT NOT NULL,
  operation TEXT NOT NULL,
  aggregate_key TEXT NOT NULL,
  payload TEXT NOT NULL,
  error TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  recorded_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_shadow_journal_target ON shadow_journal(target, seq);

-- sqlite 3_shadow_journal_replay_order
CREATE INDEX IF NOT EXISTS idx_shadow_journal_replay ON shadow_journal(target, recorded_at, seq);
DROP INDEX IF EXISTS idx_shadow_journal_target;

-- sqlite 4_search_tokenizer
DROP TABLE IF EXISTS messages_fts;
CREATE VIRTUAL TABLE messages_fts USING fts5(
      message_content,
      tool_name,
      username,
      content='messages',
      content_rowid='rowid',
      tokenize='unicode61 remove_diacritics 2 categories ''L* N* M*'' separators ''²³¹¼½¾֍֎؅؜؝߾߿࢈࢐࢑࣢৴৵৶৷৸৹৽੶୲୳୴୵୶୷௰௱௲౷౸౹౺౻౼౽౾಄൏൘൙൚൛൜൝൞൰൱൲൳൴൵൶൷൸༪༫༬༭༮༯༰༱༲༳፩፪፫፬፭፮፯፰፱፲፳፴፵፶፷፸፹፺፻፼៰៱៲៳៴៵៶៷៸៹᧚᭎᭏᭽᭾᭿⁦⁧⁨⁩⁰⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉₺₻₼₽₾₿⃀⃁⅐⅑⅒⅓⅔⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞⅟↉↊↋⏴⏵⏶⏷⏸⏹⏺⏻⏼⏽⏾⏿␧␨␩①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛⓪⓫⓬⓭⓮⓯⓰⓱⓲⓳⓴⓵⓶⓷⓸⓹⓺⓻⓼⓽⓾⓿✀❶❷❸❹❺❻❼❽❾❿➀➁➂➃➄➅➆➇➈➉➊➋➌➍➎➏➐➑➒➓⭍⭎⭏⭚⭛⭜⭝⭞⭟⭠⭡⭢⭣⭤⭥⭦⭧⭨⭩⭪⭫⭬⭭⭮⭯⭰⭱⭲⭳⭶⭷⭸⭹⭺⭻⭼⭽⭾⭿⮀⮁⮂⮃⮄⮅⮆⮇⮈⮉⮊⮋⮌⮍⮎⮏⮐⮑⮒⮓⮔⮕⮖⮗⮘⮙⮚⮛⮜⮝⮞⮟⮠⮡⮢⮣⮤⮥⮦⮧⮨⮩⮪⮫⮬⮭⮮⮯⮰⮱⮲⮳⮴⮵⮶⮷⮸⮹⮺⮻⮼⮽⮾⮿⯀⯁⯂⯃⯄⯅⯆⯇⯈⯉⯊⯋⯌⯍⯎⯏⯐⯑⯒⯓⯔⯕⯖⯗⯘⯙⯚⯛⯜⯝⯞⯟⯠⯡⯢⯣⯤⯥⯦⯧⯨⯩⯪⯫⯬⯭⯮⯯⯰⯱⯲⯳⯴⯵⯶⯷⯸⯹⯺⯻⯼⯽⯾⯿⳽⸼⸽⸾⸿⹀⹁⹂⹃⹄⹅⹆⹇⹈⹉⹊⹋⹌⹍⹎⹏⹐⹑⹒⹓⹔⹕⹖⹗⹘⹙⹚⹛⹜⹝⿼⿽⿾⿿㆒㆓㆔㆕㇤㇥㇯㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩㉈㉉㉊㉋㉌㉍㉎㉏㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚㉛㉜㉝㉞㉟㊀㊁㊂㊃㊄㊅㊆㊇㊈㊉㊱㊲㊳㊴㊵㊶㊷㊸㊹㊺㊻㊼㊽㊾㊿㋿꠰꠱꠲꠳꠴꠵꣼꭛꭪꭫﯂﯃﯄﯅﯆﯇﯈﯉﯊﯋﯌﯍﯎﯏﯐﯑﯒﵀﵁﵂﵃﵄﵅﵆﵇﵈﵉﵊﵋﵌﵍﵎﵏﶐﶑﷈﷉﷊﷋﷌﷍﷎﷏﷾﷿𐄇𐄈𐄉𐄊𐄋𐄌𐄍𐄎𐄏𐄐𐄑𐄒𐄓𐄔𐄕𐄖𐄗𐄘𐄙𐄚𐄛𐄜𐄝𐄞𐄟𐄠𐄡𐄢𐄣𐄤𐄥𐄦𐄧𐄨𐄩𐄪𐄫𐄬𐄭𐄮𐄯𐄰𐄱𐄲𐄳𐅵𐅶𐅷𐅸𐆊𐆋𐆌𐆍𐆎𐆜𐆠𐋡𐋢𐋣𐋤𐋥𐋦𐋧𐋨𐋩𐋪𐋫𐋬𐋭𐋮𐋯𐋰𐋱𐋲𐋳𐋴𐋵𐋶𐋷𐋸𐋹𐋺𐋻𐌠𐌡𐌢𐌣𐕯𐡘𐡙𐡚𐡛𐡜𐡝𐡞𐡟𐡷𐡸𐡹𐡺𐡻𐡼𐡽𐡾𐡿𐢧𐢨𐢩𐢪𐢫𐢬𐢭𐢮𐢯𐣻𐣼𐣽𐣾𐣿𐤖𐤗𐤘𐤙𐤚𐤛𐦼𐦽𐧀𐧁𐧂𐧃𐧄𐧅𐧆𐧇𐧈𐧉𐧊𐧋𐧌𐧍𐧎𐧏𐧒𐧓𐧔𐧕𐧖𐧗𐧘𐧙𐧚𐧛𐧜𐧝𐧞𐧟𐧠𐧡𐧢𐧣𐧤𐧥𐧦𐧧𐧨𐧩𐧪𐧫𐧬𐧭𐧮𐧯𐧰𐧱𐧲𐧳𐧴𐧵𐧶𐧷𐧸𐧹𐧺𐧻𐧼𐧽𐧾𐧿𐩀𐩁𐩂𐩃𐩄𐩅𐩆𐩇𐩈𐩽𐩾𐪝𐪞𐪟𐫈𐫫𐫬𐫭𐫮𐫯𐫰𐫱𐫲𐫳𐫴𐫵𐫶𐭘𐭙𐭚𐭛𐭜𐭝𐭞𐭟𐭸𐭹𐭺𐭻𐭼𐭽𐭾𐭿𐮙𐮚𐮛𐮜𐮩𐮪𐮫𐮬𐮭𐮮𐮯𐳺𐳻𐳼𐳽𐳾𐳿𐵮𐶎𐶏𐹠𐹡𐹢𐹣𐹤𐹥𐹦𐹧𐹨𐹩𐹪𐹫𐹬𐹭𐹮𐹯𐹰𐹱𐹲𐹳𐹴𐹵𐹶𐹷𐹸𐹹𐹺𐹻𐹼𐹽𐹾𐺭𐻐𐻑𐻒𐻓𐻔𐻕𐻖𐻗𐻘𐼝𐼞𐼟𐼠𐼡𐼢𐼣𐼤𐼥𐼦𐽑𐽒𐽓𐽔𐽕𐽖𐽗𐽘𐽙𐾆𐾇𐾈𐾉𐿅𐿆𐿇𐿈𐿉𐿊𐿋𑁒𑁓𑁔𑁕𑁖𑁗𑁘𑁙𑁚𑁛𑁜𑁝𑁞𑁟𑁠𑁡𑁢𑁣𑁤𑁥𑃍𑅴𑅵𑇍𑇛𑇝𑇞𑇟𑇡𑇢𑇣𑇤𑇥𑇦𑇧𑇨𑇩𑇪𑇫𑇬𑇭𑇮𑇯𑇰𑇱𑇲𑇳𑇴𑈸𑈹𑈺𑈻𑈼𑈽𑊩𑏔𑏕𑏗𑏘𑑋𑑌𑑍𑑎𑑏𑑚𑑛𑑝𑓆𑗁𑗂𑗃𑗄𑗅𑗆𑗇𑗈𑗉𑗊𑗋𑗌𑗍𑗎𑗏𑗐𑗑𑗒𑗓𑗔𑗕𑗖𑗗𑙁𑙂𑙃𑙠𑙡𑙢𑙣𑙤𑙥𑙦𑙧𑙨𑙩𑙪𑙫𑙬𑚹𑜺𑜻𑜼𑜽𑜾𑜿𑠻𑣪𑣫𑣬𑣭𑣮𑣯𑣰𑣱𑣲𑥄𑥅𑥆𑧢𑨿𑩀𑩁𑩂𑩃𑩄𑩅𑩆𑪚𑪛𑪜𑪞𑪟𑪠𑪡𑪢𑬀𑬁𑬂𑬃𑬄𑬅𑬆𑬇𑬈𑬉𑯡𑱁𑱂𑱃𑱄𑱅𑱚𑱛𑱜𑱝𑱞𑱟𑱠𑱡𑱢𑱣𑱤𑱥𑱦𑱧𑱨𑱩𑱪𑱫𑱬𑱰𑱱𑻷𑻸𑽃𑽄𑽅𑽆𑽇𑽈𑽉𑽊𑽋𑽌𑽍𑽎𑽏𑿀𑿁𑿂𑿃𑿄𑿅𑿆𑿇𑿈𑿉𑿊𑿋𑿌𑿍𑿎𑿏𑿐𑿑𑿒𑿓𑿔𑿕𑿖𑿗𑿘𑿙𑿚𑿛𑿜𑿝𑿞𑿟𑿠𑿡𑿢𑿣𑿤𑿥𑿦𑿧𑿨𑿩𑿪𑿫𑿬𑿭𑿮𑿯𑿰𑿱𑿿𒑴𒿱𒿲𓐰𓐱𓐲𓐳𓐴𓐵𓐶𓐷𓐸𓐹𓐺𓐻𓐼𓐽𓐾𓐿𖩮𖩯𖫵𖬷𖬸𖬹𖬺𖬻𖬼𖬽𖬾𖬿𖭄𖭅𖭛𖭜𖭝𖭞𖭟𖭠𖭡𖵭𖵮𖵯𖺀𖺁𖺂𖺃𖺄𖺅𖺆𖺇𖺈𖺉𖺊𖺋𖺌𖺍𖺎𖺏𖺐𖺑𖺒𖺓𖺔𖺕𖺖𖺗𖺘𖺙𖺚𖿢𛲜𛲟𛲠𛲡𛲢𛲣𜰀𜰁𜰂𜰃𜰄𜰅𜰆𜰇𜰈𜰉𜰊𜰋𜰌𜰍𜰎𜰏𜰐𜰑𜰒𜰓𜰔𜰕𜰖𜰗𜰘𜰙𜰚𜰛𜰜𜰝𜰞𜰟𜰠𜰡𜰢𜰣𜰤𜰥𜰦𜰧𜰨𜰩𜰪𜰫𜰬𜰭𜰮𜰯𜰰𜰱𜰲𜰳𜰴𜰵𜰶𜰷𜰸𜰹𜰺𜰻𜰼𜰽𜰾𜰿𜱀𜱁𜱂𜱃𜱄𜱅𜱆𜱇𜱈𜱉𜱊𜱋𜱌𜱍𜱎𜱏𜱐𜱑𜱒𜱓𜱔𜱕𜱖𜱗𜱘𜱙𜱚𜱛𜱜𜱝𜱞𜱟𜱠𜱡𜱢𜱣𜱤𜱥𜱦𜱧𜱨𜱩𜱪𜱫𜱬𜱭𜱮𜱯𜱰𜱱𜱲𜱳𜱴𜱵𜱶𜱷𜱸𜱹𜱺𜱻𜱼𜱽𜱾𜱿𜲀𜲁𜲂𜲃𜲄𜲅𜲆𜲇𜲈𜲉𜲊𜲋𜲌𜲍𜲎𜲏𜲐𜲑𜲒𜲓𜲔𜲕𜲖𜲗𜲘𜲙𜲚𜲛𜲜𜲝𜲞𜲟𜲠𜲡𜲢𜲣𜲤𜲥𜲦𜲧𜲨𜲩𜲪𜲫𜲬𜲭𜲮𜲯𜲰𜲱𜲲𜲳𜲴𜲵𜲶𜲷𜲸𜲹𜲺𜲻𜲼𜲽𜲾𜲿𜳀𜳁𜳂𜳃𜳄𜳅𜳆𜳇𜳈𜳉𜳊𜳋𜳌𜳍𜳎𜳏𜳐𜳑𜳒𜳓𜳔𜳕𜳖𜳗𜳘𜳙𜳚𜳛𜳜𜳝𜳞𜳟𜳠𜳡𜳢𜳣𜳤𜳥𜳦𜳧𜳨𜳩𜳪𜳫𜳬𜳭𜳮𜳯𜳺𜳻𜳼𜴀𜴁𜴂𜴃𜴄𜴅𜴆𜴇𜴈𜴉𜴊𜴋𜴌𜴍𜴎𜴏𜴐𜴑𜴒𜴓𜴔𜴕𜴖𜴗𜴘𜴙𜴚𜴛𜴜𜴝𜴞𜴟𜴠𜴡𜴢𜴣𜴤𜴥𜴦𜴧𜴨𜴩𜴪𜴫𜴬𜴭𜴮𜴯𜴰𜴱𜴲𜴳𜴴𜴵𜴶𜴷𜴸𜴹𜴺𜴻𜴼𜴽𜴾𜴿𜵀𜵁𜵂𜵃𜵄𜵅𜵆𜵇𜵈𜵉𜵊𜵋𜵌𜵍𜵎𜵏𜵐𜵑𜵒𜵓𜵔𜵕𜵖𜵗𜵘𜵙𜵚𜵛𜵜𜵝𜵞𜵟𜵠𜵡𜵢𜵣𜵤𜵥𜵦𜵧𜵨𜵩𜵪𜵫𜵬𜵭𜵮𜵯𜵰𜵱𜵲𜵳𜵴𜵵𜵶𜵷𜵸𜵹𜵺𜵻𜵼𜵽𜵾𜵿𜶀𜶁𜶂𜶃𜶄𜶅𜶆𜶇𜶈𜶉𜶊𜶋𜶌𜶍𜶎𜶏𜶐𜶑𜶒𜶓𜶔𜶕𜶖𜶗𜶘𜶙𜶚𜶛𜶜𜶝𜶞𜶟𜶠𜶡𜶢𜶣𜶤𜶥𜶦𜶧𜶨𜶩𜶪𜶫𜶬𜶭𜶮𜶯𜶰𜶱𜶲𜶳𜶴𜶵𜶶𜶷𜶸𜶹𜶺𜶻𜶼𜶽𜶾𜶿𜷀𜷁𜷂𜷃𜷄𜷅𜷆𜷇𜷈𜷉𜷊𜷋𜷌𜷍𜷎𜷏𜷐𜷑𜷒𜷓𜷔𜷕𜷖𜷗𜷘𜷙𜷚𜷛𜷜𜷝𜷞𜷟𜷠𜷡𜷢𜷣𜷤𜷥𜷦𜷧𜷨𜷩𜷪𜷫𜷬𜷭𜷮𜷯𜷰𜷱𜷲𜷳𜷴𜷵𜷶𜷷𜷸𜷹𜷺𜷻𜷼𜷽𜷾𜷿𜸀𜸁𜸂𜸃𜸄𜸅𜸆𜸇𜸈𜸉𜸊𜸋𜸌𜸍𜸎𜸏𜸐𜸑𜸒𜸓𜸔𜸕𜸖𜸗𜸘𜸙𜸚𜸛𜸜𜸝𜸞𜸟𜸠𜸡𜸢𜸣𜸤𜸥𜸦𜸧𜸨𜸩𜸪𜸫𜸬𜸭𜸮𜸯𜸰𜸱𜸲𜸳𜸴𜸵𜸶𜸷𜸸𜸹𜸺𜸻𜸼𜸽𜸾𜸿𜹀𜹁𜹂𜹃𜹄𜹅𜹆𜹇𜹈𜹉𜹊𜹋𜹌𜹍𜹎𜹏𜹐𜹑𜹒𜹓𜹔𜹕𜹖𜹗𜹘𜹙𜹚𜹛𜹜𜹝𜹞𜹟𜹠𜹡𜹢𜹣𜹤𜹥𜹦𜹧𜹨𜹩𜹪𜹫𜹬𜹭𜹮𜹯𜹰𜹱𜹲𜹳𜹴𜹵𜹶𜹷𜹸𜹹𜹺𜹻𜹼𜹽𜹾𜹿𜺀𜺁𜺂𜺃𜺄𜺅𜺆𜺇𜺈𜺉𜺊𜺋𜺌𜺍𜺎𜺏𜺐𜺑𜺒𜺓𜺔𜺕𜺖𜺗𜺘𜺙𜺚𜺛𜺜𜺝𜺞𜺟𜺠𜺡𜺢𜺣𜺤𜺥𜺦𜺧𜺨𜺩𜺪𜺫𜺬𜺭𜺮𜺯𜺰𜺱𜺲𜺳𜺺𜺻𜺼𜺽𜺾𜺿𜻀𜻁𜻂𜻃𜻄𜻅𜻆𜻇𜻈𜻉𜻊𜻋𜻌𜻍𜻎𜻏𜻐𜻠𜻡𜻢𜻣𜻤𜻥𜻦𜻧𜻨𜻩𜻪𜻫𜻬𜻭𜻮𜻯𜻰𜽐𜽑𜽒𜽓𜽔𜽕𜽖𜽗𜽘𜽙𜽚𜽛𜽜𜽝𜽞𜽟𜽠𜽡𜽢𜽣𜽤𜽥𜽦𜽧𜽨𜽩𜽪𜽫𜽬𜽭𜽮𜽯𜽰𜽱𜽲𜽳𜽴𜽵𜽶𜽷𜽸𜽹𜽺𜽻𜽼𜽽𜽾𜽿𜾀𜾁𜾂𜾃𜾄𜾅𜾆𜾇𜾈𜾉𜾊𜾋𜾌𜾍𜾎𜾏𜾐𜾑𜾒𜾓𜾔𜾕𜾖𜾗𜾘𜾙𜾚𜾛𜾜𜾝𜾞𜾟𜾠𜾡𜾢𜾣𜾤𜾥𜾦𜾧𜾨𜾩𜾪𜾫𜾬𜾭𜾮𜾯𜾰𜾱𜾲𜾳𜾴𜾵𜾶𜾷𜾸𜾹𜾺𜾻𜾼𜾽𜾾𜾿𜿀𜿁𜿂𜿃𝇞𝇟𝇠𝇡𝇢𝇣𝇤𝇥𝇦𝇧𝇨𝇩𝇪𝋀𝋁𝋂𝋃𝋄𝋅𝋆𝋇𝋈𝋉𝋊𝋋𝋌𝋍𝋎𝋏𝋐𝋑𝋒𝋓𝋠𝋡𝋢𝋣𝋤𝋥𝋦𝋧𝋨𝋩𝋪𝋫𝋬𝋭𝋮𝋯𝋰𝋱𝋲𝋳𝍠𝍡𝍢𝍣𝍤𝍥𝍦𝍧𝍨𝍩𝍪𝍫𝍬𝍭𝍮𝍯𝍰𝍱𝍲𝍳𝍴𝍵𝍶𝍷𝍸𝠀𝠁𝠂𝠃𝠄𝠅𝠆𝠇𝠈𝠉𝠊𝠋𝠌𝠍𝠎𝠏𝠐𝠑𝠒𝠓𝠔𝠕𝠖𝠗𝠘𝠙𝠚𝠛𝠜𝠝𝠞𝠟𝠠𝠡𝠢𝠣𝠤𝠥𝠦𝠧𝠨𝠩𝠪𝠫𝠬𝠭𝠮𝠯𝠰𝠱𝠲𝠳𝠴𝠵𝠶𝠷𝠸𝠹𝠺𝠻𝠼𝠽𝠾𝠿𝡀𝡁𝡂𝡃𝡄𝡅𝡆𝡇𝡈𝡉𝡊𝡋𝡌𝡍𝡎𝡏𝡐𝡑𝡒𝡓𝡔𝡕𝡖𝡗𝡘𝡙𝡚𝡛𝡜𝡝𝡞𝡟𝡠𝡡𝡢𝡣𝡤𝡥𝡦𝡧𝡨𝡩𝡪𝡫𝡬𝡭𝡮𝡯𝡰𝡱𝡲𝡳𝡴𝡵𝡶𝡷𝡸𝡹𝡺𝡻𝡼𝡽𝡾𝡿𝢀𝢁𝢂𝢃𝢄𝢅𝢆𝢇𝢈𝢉𝢊𝢋𝢌𝢍𝢎𝢏𝢐𝢑𝢒𝢓𝢔𝢕𝢖𝢗𝢘𝢙𝢚𝢛𝢜𝢝𝢞𝢟𝢠𝢡𝢢𝢣𝢤𝢥𝢦𝢧𝢨𝢩𝢪𝢫𝢬𝢭𝢮𝢯𝢰𝢱𝢲𝢳𝢴𝢵𝢶𝢷𝢸𝢹𝢺𝢻𝢼𝢽𝢾𝢿𝣀𝣁𝣂𝣃𝣄𝣅𝣆𝣇𝣈𝣉𝣊𝣋𝣌𝣍𝣎𝣏𝣐𝣑𝣒𝣓𝣔𝣕𝣖𝣗𝣘𝣙𝣚𝣛𝣜𝣝𝣞𝣟𝣠𝣡𝣢𝣣𝣤𝣥𝣦𝣧𝣨𝣩𝣪𝣫𝣬𝣭𝣮𝣯𝣰𝣱𝣲𝣳𝣴𝣵𝣶𝣷𝣸𝣹𝣺𝣻𝣼𝣽𝣾𝣿𝤀𝤁𝤂𝤃𝤄𝤅𝤆𝤇𝤈𝤉𝤊𝤋𝤌𝤍𝤎𝤏𝤐𝤑𝤒𝤓𝤔𝤕𝤖𝤗𝤘𝤙𝤚𝤛𝤜𝤝𝤞𝤟𝤠𝤡𝤢𝤣𝤤𝤥𝤦𝤧𝤨𝤩𝤪𝤫𝤬𝤭𝤮𝤯𝤰𝤱𝤲𝤳𝤴𝤵𝤶𝤷𝤸𝤹𝤺𝤻𝤼𝤽𝤾𝤿𝥀𝥁𝥂𝥃𝥄𝥅𝥆𝥇𝥈𝥉𝥊𝥋𝥌𝥍𝥎𝥏𝥐𝥑𝥒𝥓𝥔𝥕𝥖𝥗𝥘𝥙𝥚𝥛𝥜𝥝𝥞𝥟𝥠𝥡𝥢𝥣𝥤𝥥𝥦𝥧𝥨𝥩𝥪𝥫𝥬𝥭𝥮𝥯𝥰𝥱𝥲𝥳𝥴𝥵𝥶𝥷𝥸𝥹𝥺𝥻𝥼𝥽𝥾𝥿𝦀𝦁𝦂𝦃𝦄𝦅𝦆𝦇𝦈𝦉𝦊𝦋𝦌𝦍𝦎𝦏𝦐𝦑𝦒𝦓𝦔𝦕𝦖𝦗𝦘𝦙𝦚𝦛𝦜𝦝𝦞𝦟𝦠𝦡𝦢𝦣𝦤𝦥𝦦𝦧𝦨𝦩𝦪𝦫𝦬𝦭𝦮𝦯𝦰𝦱𝦲𝦳𝦴𝦵𝦶𝦷𝦸𝦹𝦺𝦻𝦼𝦽𝦾𝦿𝧀𝧁𝧂𝧃𝧄𝧅𝧆𝧇𝧈𝧉𝧊𝧋𝧌𝧍𝧎𝧏𝧐𝧑𝧒𝧓𝧔𝧕𝧖𝧗𝧘𝧙𝧚𝧛𝧜𝧝𝧞𝧟𝧠𝧡𝧢𝧣𝧤𝧥𝧦𝧧𝧨𝧩𝧪𝧫𝧬𝧭𝧮𝧯𝧰𝧱𝧲𝧳𝧴𝧵𝧶𝧷𝧸𝧹𝧺𝧻𝧼𝧽𝧾𝧿𝨷𝨸𝨹𝨺𝩭𝩮𝩯𝩰𝩱𝩲𝩳𝩴𝩶𝩷𝩸𝩹𝩺𝩻𝩼𝩽𝩾𝩿𝪀𝪁𝪂𝪃𝪅𝪆𝪇𝪈𝪉𝪊𝪋𞅏𞋿𞗿𞣇𞣈𞣉𞣊𞣋𞣌𞣍𞣎𞣏𞥞𞥟𞱱𞱲𞱳𞱴𞱵𞱶𞱷𞱸𞱹𞱺𞱻𞱼𞱽𞱾𞱿𞲀𞲁𞲂𞲃𞲄𞲅𞲆𞲇𞲈𞲉𞲊𞲋𞲌𞲍𞲎𞲏𞲐𞲑𞲒𞲓𞲔𞲕𞲖𞲗𞲘𞲙𞲚𞲛𞲜𞲝𞲞𞲟𞲠𞲡𞲢𞲣𞲤𞲥𞲦𞲧𞲨𞲩𞲪𞲫𞲬𞲭𞲮𞲯𞲰𞲱𞲲𞲳𞲴𞴁𞴂𞴃𞴄𞴅𞴆𞴇𞴈𞴉𞴊𞴋𞴌𞴍𞴎𞴏𞴐𞴑𞴒𞴓𞴔𞴕𞴖𞴗𞴘𞴙𞴚𞴛𞴜𞴝𞴞𞴟𞴠𞴡𞴢𞴣𞴤𞴥𞴦𞴧𞴨𞴩𞴪𞴫𞴬𞴭𞴮𞴯𞴰𞴱𞴲𞴳𞴴𞴵𞴶𞴷𞴸𞴹𞴺𞴻𞴼𞴽🀬🀭🀮🀯🂔🂕🂖🂗🂘🂙🂚🂛🂜🂝🂞🂟🂯🂰🂿🃀🃐🃠🃡🃢🃣🃤🃥🃦🃧🃨🃩🃪🃫🃬🃭🃮🃯🃰🃱🃲🃳🃴🃵🃶🃷🃸🃹🃺🃻🃼🃽🃾🃿🄀🄁🄂🄃🄄🄅🄆🄇🄈🄉🄊🄋🄌🄍🄎🄏🄯🅬🅭🅮🅯🆛🆜🆝🆞🆟🆠🆡🆢🆣🆤🆥🆦🆧🆨🆩🆪🆫🆬🆭🆮🆯🆰🆱🆲🆳🆴🆵🆶🆷🆸🆹🆺🆻🆼🆽🆾🆿🇀🇁🇂🇃🇄🇅🇆🇇🇈🇉🇊🇋🇌🇍🇎🇏🇐🇑🇒🇓🇔🇕🇖🇗🇘🇙🇚🇛🇜🇝🇞🇟🇠🇡🇢🇣🇤🇥🈃🈄🈅🈆🈇🈈🈉🈊🈋🈌🈍🈎🈏🈻🈼🈽🈾🈿🉉🉊🉋🉌🉍🉎🉏🉒🉓🉔🉕🉖🉗🉘🉙🉚🉛🉜🉝🉞🉟🉠🉡🉢🉣🉤🉥🉦🉧🉨🉩🉪🉫🉬🉭🉮🉯🉰🉱🉲🉳🉴🉵🉶🉷🉸🉹🉺🉻🉼🉽🉾🉿🊀🊁🊂🊃🊄🊅🊆🊇🊈🊉🊊🊋🊌🊍🊎🊏🊐🊑🊒🊓🊔🊕🊖🊗🊘🊙🊚🊛🊜🊝🊞🊟🊠🊡🊢🊣🊤🊥🊦🊧🊨🊩🊪🊫🊬🊭🊮🊯🊰🊱🊲🊳🊴🊵🊶🊷🊸🊹🊺🊻🊼🊽🊾🊿🋀🋁🋂🋃🋄🋅🋆🋇🋈🋉🋊🋋🋌🋍🋎🋏🋐🋑🋒🋓🋔🋕🋖🋗🋘🋙🋚🋛🋜🋝🋞🋟🋠🋡🋢🋣🋤🋥🋦🋧🋨🋩🋪🋫🋬🋭🋮🋯🋰🋱🋲🋳🋴🋵🋶🋷🋸🋹🋺🋻🋼🋽🋾🋿🌡🌢🌣🌤🌥🌦🌧🌨🌩🌪🌫🌬🌭🌮🌯🌶🍽🍾🍿🎔🎕🎖🎗🎘🎙🎚🎛🎜🎝🎞🎟🏅🏋🏌🏍🏎🏏🏐🏑🏒🏓🏔🏕🏖🏗🏘🏙🏚🏛🏜🏝🏞🏟🏱🏲🏳🏴🏵🏶🏷🏸🏹🏺🏻🏼🏽🏾🏿🐿👁📸📽📾📿🔾🔿🕄🕅🕆🕇🕈🕉🕊🕋🕌🕍🕎🕏🕨🕩🕪🕫🕬🕭🕮🕯🕰🕱🕲🕳🕴🕵🕶🕷🕸🕹🕺🕻🕼🕽🕾🕿🖀🖁🖂🖃🖄🖅🖆🖇🖈🖉🖊🖋🖌🖍🖎🖏🖐🖑🖒🖓🖔🖕🖖🖗🖘🖙🖚🖛🖜🖝🖞🖟🖠🖡🖢🖣🖤🖥🖦🖧🖨🖩🖪🖫🖬🖭🖮🖯🖰🖱🖲🖳🖴🖵🖶🖷🖸🖹🖺🖻🖼🖽🖾🖿🗀🗁🗂🗃🗄🗅🗆🗇🗈🗉🗊🗋🗌🗍🗎🗏🗐🗑🗒🗓🗔🗕🗖🗗🗘🗙🗚🗛🗜🗝🗞🗟🗠🗡🗢🗣🗤🗥🗦🗧🗨🗩🗪🗫🗬🗭🗮🗯🗰🗱🗲🗳🗴🗵🗶🗷🗸🗹🗺🙁🙂🙃🙄🙐🙑🙒🙓🙔🙕🙖🙗🙘🙙🙚🙛🙜🙝🙞🙟🙠🙡🙢🙣🙤🙥🙦🙧🙨🙩🙪🙫🙬🙭🙮🙯🙰🙱🙲🙳🙴🙵🙶🙷🙸🙹🙺🙻🙼🙽🙾🙿🛆🛇🛈🛉🛊🛋🛌🛍🛎🛏🛐🛑🛒🛓🛔🛕🛖🛗🛘🛙🛚🛛🛜🛝🛞🛟🛠🛡🛢🛣🛤🛥🛦🛧🛨🛩🛪🛫🛬🛭🛮🛯🛰🛱🛲🛳🛴🛵🛶🛷🛸🛹🛺🛻🛼🛽🛾🛿🝴🝵🝶🝷🝸🝹🝺🝻🝼🝽🝾🝿🞀🞁🞂🞃🞄🞅🞆🞇🞈🞉🞊🞋🞌🞍🞎🞏🞐🞑🞒🞓🞔🞕🞖🞗🞘🞙🞚🞛🞜🞝🞞🞟🞠🞡🞢🞣🞤🞥🞦🞧🞨🞩🞪🞫🞬🞭🞮🞯🞰🞱🞲🞳🞴🞵🞶🞷🞸🞹🞺🞻🞼🞽🞾🞿🟀🟁🟂🟃🟄🟅🟆🟇🟈🟉🟊🟋🟌🟍🟎🟏🟐🟑🟒🟓🟔🟕🟖🟗🟘🟙🟚🟛🟜🟝🟞🟟🟠🟡🟢🟣🟤🟥🟦🟧🟨🟩🟪🟫🟬🟭🟮🟯🟰🟱🟲🟳🟴🟵🟶🟷🟸🟹🟺🟻🟼🟽🟾🟿🠀🠁🠂🠃🠄🠅🠆🠇🠈🠉🠊🠋🠌🠍🠎🠏🠐🠑🠒🠓🠔🠕🠖🠗🠘🠙🠚🠛🠜🠝🠞🠟🠠🠡🠢🠣🠤🠥🠦🠧🠨🠩🠪🠫🠬🠭🠮🠯🠰🠱🠲🠳🠴🠵🠶🠷🠸🠹🠺🠻🠼🠽🠾🠿🡀🡁🡂🡃🡄🡅🡆🡇🡈🡉🡊🡋🡌🡍🡎🡏🡐🡑🡒🡓🡔🡕🡖🡗🡘🡙🡚🡛🡜🡝🡞🡟🡠🡡🡢🡣🡤🡥🡦🡧🡨🡩🡪🡫🡬🡭🡮🡯🡰🡱🡲🡳🡴🡵🡶🡷🡸🡹🡺🡻🡼🡽🡾🡿🢀🢁🢂🢃🢄🢅🢆🢇🢈🢉🢊🢋🢌🢍🢎🢏🢐🢑🢒🢓🢔🢕🢖🢗🢘🢙🢚🢛🢜🢝🢞🢟🢠🢡🢢🢣🢤🢥🢦🢧🢨🢩🢪🢫🢬🢭🢮🢯🢰🢱🢲🢳🢴🢵🢶🢷🢸🢹🢺🢻🢼🢽🢾🢿🣀🣁🣂🣃🣄🣅🣆🣇🣈🣉🣊🣋🣌🣍🣎🣏🣐🣑🣒🣓🣔🣕🣖🣗🣘🣙🣚🣛🣜🣝🣞🣟🣠🣡🣢🣣🣤🣥🣦🣧🣨🣩🣪🣫🣬🣭🣮🣯🣰🣱🣲🣳🣴🣵🣶🣷🣸🣹🣺🣻🣼🣽🣾🣿🤀🤁🤂🤃🤄🤅🤆🤇🤈🤉🤊🤋🤌🤍🤎🤏🤐🤑🤒🤓🤔🤕🤖🤗🤘🤙🤚🤛🤜🤝🤞🤟🤠🤡🤢🤣🤤🤥🤦🤧🤨🤩🤪🤫🤬🤭🤮🤯🤰🤱🤲🤳🤴🤵🤶🤷🤸🤹🤺🤻🤼🤽🤾🤿🥀🥁🥂🥃🥄🥅🥆🥇🥈🥉🥊🥋🥌🥍🥎🥏🥐🥑🥒🥓🥔🥕🥖🥗🥘🥙🥚🥛🥜🥝🥞🥟🥠🥡🥢🥣🥤🥥🥦🥧🥨🥩🥪🥫🥬🥭🥮🥯🥰🥱🥲🥳🥴🥵🥶🥷🥸🥹🥺🥻🥼🥽🥾🥿🦀🦁🦂🦃🦄🦅🦆🦇🦈🦉🦊🦋🦌🦍🦎🦏🦐🦑🦒🦓🦔🦕🦖🦗🦘🦙🦚🦛🦜🦝🦞🦟🦠🦡🦢🦣🦤🦥🦦🦧🦨🦩🦪🦫🦬🦭🦮🦯🦰🦱🦲🦳🦴🦵🦶🦷🦸🦹🦺🦻🦼🦽🦾🦿🧀🧁🧂🧃🧄🧅🧆🧇🧈🧉🧊🧋🧌🧍🧎🧏🧐🧑🧒🧓🧔🧕🧖🧗🧘🧙🧚🧛🧜🧝🧞🧟🧠🧡🧢🧣🧤🧥🧦🧧🧨🧩🧪🧫🧬🧭🧮🧯🧰🧱🧲🧳🧴🧵🧶🧷🧸🧹🧺🧻🧼🧽🧾🧿🨀🨁🨂🨃🨄🨅🨆🨇🨈🨉🨊🨋🨌🨍🨎🨏🨐🨑🨒🨓🨔🨕🨖🨗🨘🨙🨚🨛🨜🨝🨞🨟🨠🨡🨢🨣🨤🨥🨦🨧🨨🨩🨪🨫🨬🨭🨮🨯🨰🨱🨲🨳🨴🨵🨶🨷🨸🨹🨺🨻🨼🨽🨾🨿🩀🩁🩂🩃🩄🩅🩆🩇🩈🩉🩊🩋🩌🩍🩎🩏🩐🩑🩒🩓🩔🩕🩖🩗🩘🩙🩚🩛🩜🩝🩞🩟🩠🩡🩢🩣🩤🩥🩦🩧🩨🩩🩪🩫🩬🩭🩮🩯🩰🩱🩲🩳🩴🩵🩶🩷🩸🩹🩺🩻🩼🩽🩾🩿🪀🪁🪂🪃🪄🪅🪆🪇🪈🪉🪊🪋🪌🪍🪎🪏🪐🪑🪒🪓🪔🪕🪖🪗🪘🪙🪚🪛🪜🪝🪞🪟🪠🪡🪢🪣🪤🪥🪦🪧🪨🪩🪪🪫🪬🪭🪮🪯🪰🪱🪲🪳🪴🪵🪶🪷🪸🪹🪺🪻🪼🪽🪾🪿🫀🫁🫂🫃🫄🫅🫆🫇🫈🫉🫊🫋🫌🫍🫎🫏🫐🫑🫒🫓🫔🫕🫖🫗🫘🫙🫚🫛🫜🫝🫞🫟🫠🫡🫢🫣🫤🫥🫦🫧🫨🫩🫪🫫🫬🫭🫮🫯🫰🫱🫲🫳🫴🫵🫶🫷🫸🫹🫺🫻🫼🫽🫾🫿🬀🬁🬂🬃🬄🬅🬆🬇🬈🬉🬊🬋🬌🬍🬎🬏🬐🬑🬒🬓🬔🬕🬖🬗🬘🬙🬚🬛🬜🬝🬞🬟🬠🬡🬢🬣🬤🬥🬦🬧🬨🬩🬪🬫🬬🬭🬮🬯🬰🬱🬲🬳🬴🬵🬶🬷🬸🬹🬺🬻🬼🬽🬾🬿🭀🭁🭂🭃🭄🭅🭆🭇🭈🭉🭊🭋🭌🭍🭎🭏🭐🭑🭒🭓🭔🭕🭖🭗🭘🭙🭚🭛🭜🭝🭞🭟🭠🭡🭢🭣🭤🭥🭦🭧🭨🭩🭪🭫🭬🭭🭮🭯🭰🭱🭲🭳🭴🭵🭶🭷🭸🭹🭺🭻🭼🭽🭾🭿🮀🮁🮂🮃🮄🮅🮆🮇🮈🮉🮊🮋🮌🮍🮎🮏🮐🮑🮒🮔🮕🮖🮗🮘🮙🮚🮛🮜🮝🮞🮟🮠🮡🮢🮣🮤🮥🮦🮧🮨🮩🮪🮫🮬🮭🮮🮯🮰🮱🮲🮳🮴🮵🮶🮷🮸🮹🮺🮻🮼🮽🮾🮿🯀🯁🯂🯃🯄🯅🯆🯇🯈🯉🯊🯋🯌🯍🯎🯏🯐🯑🯒🯓🯔🯕🯖🯗🯘🯙🯚🯛🯜🯝🯞🯟🯠🯡🯢🯣🯤🯥🯦🯧🯨🯩🯪🯫🯬🯭🯮🯯🯺'''
    );
INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');

-- sqlite 5_shadow_outbox
CREATE TABLE IF NOT EXISTS shadow_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
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
  SELECT 1, 'sqlite-' || lower(hex(randomblob(8))) WHERE NOT EXISTS (SELECT 1 FROM shadow_outbox_origin);
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
INSERT INTO shadow_outbox (aggregate_key, operation, payload, recorded_at)
  SELECT aggregate_key, operation, payload, recorded_at / 1000 FROM shadow_journal WHERE target = 'postgres'
  ORDER BY recorded_at, seq;
DROP TABLE IF EXISTS shadow_journal;

-- sqlite 6_read_indexes
CREATE INDEX IF NOT EXISTS idx_messages_user_time ON messages (user_id, timestamp DESC, id DESC);
CREATE INDEX IF NOT EXISTS idx_messages_user_sender_time ON messages (user_id, sender_type, timestamp DESC, id DESC);
CREATE INDEX IF NOT EXISTS idx_messages_channel_time ON messages (channel_id, timestamp DESC, id DESC);
DROP INDEX IF EXISTS idx_messages_user_id;
DROP INDEX IF EXISTS idx_messages_channel_id;
CREATE INDEX IF NOT EXISTS idx_queries_user_time ON queries (user_id, timestamp DESC, id DESC);
DROP INDEX IF EXISTS idx_queries_user_id;
CREATE INDEX IF NOT EXISTS idx_documents_creator_updated ON documents (created_by, updated_at DESC, id DESC);
DROP INDEX IF EXISTS idx_documents_created_by;
CREATE INDEX IF NOT EXISTS idx_documents_updated ON documents (updated_at DESC, id DESC);
DROP INDEX IF EXISTS idx_documents_updated_at;
CREATE INDEX IF NOT EXISTS idx_user_profiles_last_interaction ON user_profiles (last_interaction_at DESC, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS idx_user_profiles_needing_analysis ON user_profiles (last_interaction_at DESC, created_at DESC, id DESC) WHERE last_analyzed_at IS NULL OR last_analyzed_at < last_interaction_at;
CREATE INDEX IF NOT EXISTS idx_analysis_history_user_time ON user_analysis_history (user_id, analysis_timestamp DESC, id DESC);
DROP INDEX IF EXISTS idx_analysis_history_user_id;

-- sqlite 7_row_tallies
CREATE TABLE IF NOT EXISTS row_tallies (
  dimension TEXT NOT NULL,
  key TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (dimension, key)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS messages_tally_insert AFTER INSERT ON messages BEGIN
  INSERT INTO row_tallies (dimension, key, n) SELECT 'messages.channel_id', NEW.channel_id, 1 WHERE NEW.channel_id IS NOT NULL
    ON CONFLICT (dimension, key) DO UPDATE SET n = n + excluded.n;
  INSERT INTO row_tallies (dimension, key, n) SELECT 'messages.user_id', NEW.user_id, 1 WHERE NEW.user_id IS NOT NULL
    ON CONFLICT (dimension, key) DO UPDATE SET n = n + excluded.n;
  INSERT INTO row_tallies (dimension, key, n) SELECT 'messages.user_id.' || coalesce(NEW.sender_type, ''), NEW.user_id, 1 WHERE NEW.user_id IS NOT NULL
    ON CONFLICT (dimension, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER IF NOT EXISTS messages_tally_delete AFTER DELETE ON messages BEGIN
  INSERT INTO row_tallies (dimension, key, n) SELECT 'messages.channel_id', OLD.channel_id, -1 WHERE OLD.channel_id IS NOT NULL
    ON CONFLICT (dimension, key) DO UPDATE SET n = n + excluded.n;
  INSERT INTO row_tallies (dimension, key, n) SELECT 'messages.user_id', OLD.user_id, -1 WHERE OLD.user_id IS NOT NULL
    ON CONFLICT (dimension, key) DO UPDATE SET n = n + excluded.n;
  INSERT INTO row_tallies (dimension, key, n) SELECT 'messages.user_id.' || coalesce(OLD.sender_type, ''), OLD.user_id, -1 WHERE OLD.user_id IS NOT NULL
    ON CONFLICT (dimension, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER IF NOT EXISTS messages_tally_update AFTER UPDATE OF user_id, channel_id, sender_type ON messages BEGIN
  INSERT INTO row_tallies (dimension, key, n) SELECT 'messages.channel_id', OLD.channel_id, -1 WHERE OLD.channel_id IS NOT NULL
    ON CONFLICT (dimension, key) DO UPDATE SET n = n + excluded.n;
  INSERT INTO row_tallies (dimension, key, n) SELECT 'messages.user_id', OLD.user_id, -1 WHERE OLD.user_id IS NOT NULL
    ON CONFLICT (dimension, key) DO UPDATE SET n = n + excluded.n;
  INSERT INTO row_tallies (dimension, key, n) SELECT 'messages.user_id.' || coalesce(OLD.sender_type, ''), OLD.user_id, -1 WHERE OLD.user_id IS NOT NULL
    ON CONFLICT (dimension, key) DO UPDATE SET n = n + excluded.n;
  INSERT INTO row_tallies (dimension, key, n) SELECT 'messages.channel_id', NEW.channel_id, 1 WHERE NEW.channel_id IS NOT NULL
    ON CONFLICT (dimension, key) DO UPDATE SET n = n + excluded.n;
  INSERT INTO row_tallies (dimension, key, n) SELECT 'messages.user_id', NEW.user_id, 1 WHERE NEW.user_id IS NOT NULL
    ON CONFLICT (dimension, key) DO UPDATE SET n = n + excluded.n;
  INSERT INTO row_tallies (dimension, key, n) SELECT 'messages.user_id.' || coalesce(NEW.sender_type, ''), NEW.user_id, 1 WHERE NEW.user_id IS NOT NULL
    ON CONFLICT (dimension, key) DO UPDATE SET n = n + excluded.n;
END;
DELETE FROM row_tallies WHERE dimension LIKE 'messages.%';
INSERT INTO row_tallies (dimension, key, n)
  SELECT dimension, key, sum(n) FROM (
    SELECT 'messages.channel_id' AS dimension, channel_id AS key, 1 AS n FROM messages WHERE channel_id IS NOT NULL
    UNION ALL SELECT 'messages.user_id', user_id, 1 FROM messages WHERE user_id IS NOT NULL
    UNION ALL SELECT 'messages.user_id.' || coalesce(sender_type, ''), user_id, 1 FROM messages WHERE user_id IS NOT NULL
  ) GROUP BY dimension, key;
CREATE TRIGGER IF NOT EXISTS queries_tally_insert AFTER INSERT ON queries BEGIN
  INSERT INTO row_tallies (dimension, key, n) SELECT 'queries.user_id', NEW.user_id, 1 WHERE NEW.user_id IS NOT NULL
    ON CONFLICT (dimension, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER IF NOT EXISTS queries_tally_delete AFTER DELETE ON queries BEGIN
  INSERT INTO row_tallies (dimension, key, n) SELECT 'queries.user_id', OLD.user_id, -1 WHERE OLD.user_id IS NOT NULL
    ON CONFLICT (dimension, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER IF NOT EXISTS queries_tally_update AFTER UPDATE OF user_id ON queries BEGIN
  INSERT INTO row_tallies (dimension, key, n) SELECT 'queries.user_id', OLD.user_id, -1 WHERE OLD.user_id IS NOT NULL
    ON CONFLICT (dimension, key) DO UPDATE SET n = n + excluded.n;
  INSERT INTO row_tallies (dimension, key, n) SELECT 'queries.user_id', NEW.user_id, 1 WHERE NEW.user_id IS NOT NULL
    ON CONFLICT (dimension, key) DO UPDATE SET n = n + excluded.n;
END;
DELETE FROM row_tallies WHERE dimension LIKE 'queries.%';
INSERT INTO row_tallies (dimension, key, n)
  SELECT 'queries.user_id', user_id, count(*) FROM queries WHERE user_id IS NOT NULL GROUP BY user_id;
