/**
 * PostgreSQL migration 8, frozen: an index for every read the bot makes, in the order the read asks for, so that
 * a page is the first rows of one index range and a count one index-only range (contract §4, §6; issue 12). The
 * trailing `id DESC` is the tie-breaker every ordered read ends with (contract F5): with it in the index no sort
 * is left to do, not even for rows of the same millisecond. NULLS LAST is spelled out where the reads spell it out
 * (SQLite puts NULLs last in a descending order, PostgreSQL first), or the index could not give the order.
 *
 * - a user's messages, latest first (the web timeline, verify's heaviest read): (user_id, timestamp, id);
 * - a user's messages of one sender type (the bot's profile analysis, the context of each saved message, its
 *   count): (user_id, sender_type, timestamp, id);
 * - a channel's messages: (channel_id, timestamp, id);
 * - every message, and the search without a user or channel: (timestamp, id), in place of idx_messages_timestamp;
 * - a user's recent queries and their count: (user_id, timestamp, id); all queries: (timestamp, id), in place of
 *   idx_queries_timestamp;
 * - documents by creator and their count, and all documents, by last update: (created_by, updated_at, id) and
 *   (updated_at, id);
 * - every profile by last interaction, and those needing analysis (a partial index, so the read does not walk
 *   past analysed profiles): (last_interaction_at, created_at, id);
 * - a user's analysis history: (user_id, analysis_timestamp, id).
 *
 * The indexes of a whole table in time order are partial, `WHERE (id >= '') IS TRUE` (every row: the key is never
 * NULL and '' sorts first in its "C" collation; `IS TRUE` so that no index can serve the condition itself), and the
 * Store states the same condition in exactly the reads without a user, channel or creator
 * (CurrentSchema.pgWholeTable): a read for one user can then only walk that user's index. Otherwise the planner walks the whole table's time index for a user it believes frequent, testing every
 * row, which is fast while that user wrote a steady share of the newest rows and unbounded when not: on a held-out
 * 1M-message database a heavy user's latest 100 discarded 496,819 rows (238 ms), and the statistics cannot tell a
 * user who stopped writing a year ago. The user's own index reads at most the page, whoever the user.
 *
 * The single-column indexes these begin with are dropped: each new index serves every read the old one served
 * (an equality on its first column), and one index less is one build less in a load and one less to maintain per
 * write. idx_documents_updated_at (DESC, so NULLS FIRST) could not give the order the listing asks for.
 */
import { fixedStatements } from "../FrozenMigration.js"

export const readIndexes = fixedStatements([
  "CREATE INDEX IF NOT EXISTS idx_messages_user_time ON messages (user_id, timestamp DESC, id DESC)",
  "CREATE INDEX IF NOT EXISTS idx_messages_user_sender_time ON messages (user_id, sender_type, timestamp DESC, id DESC)",
  "CREATE INDEX IF NOT EXISTS idx_messages_channel_time ON messages (channel_id, timestamp DESC, id DESC)",
  "CREATE INDEX IF NOT EXISTS idx_messages_time ON messages (timestamp DESC, id DESC) WHERE (id >= '') IS TRUE",
  "DROP INDEX IF EXISTS idx_messages_user_id",
  "DROP INDEX IF EXISTS idx_messages_channel_id",
  "DROP INDEX IF EXISTS idx_messages_timestamp",
  "CREATE INDEX IF NOT EXISTS idx_queries_user_time ON queries (user_id, timestamp DESC, id DESC)",
  "CREATE INDEX IF NOT EXISTS idx_queries_time ON queries (timestamp DESC, id DESC) WHERE (id >= '') IS TRUE",
  "DROP INDEX IF EXISTS idx_queries_user_id",
  "DROP INDEX IF EXISTS idx_queries_timestamp",
  "CREATE INDEX IF NOT EXISTS idx_documents_creator_updated ON documents (created_by, updated_at DESC NULLS LAST, id DESC)",
  "DROP INDEX IF EXISTS idx_documents_created_by",
  "CREATE INDEX IF NOT EXISTS idx_documents_updated ON documents (updated_at DESC NULLS LAST, id DESC) " +
    "WHERE (id >= '') IS TRUE",
  "DROP INDEX IF EXISTS idx_documents_updated_at",
  "CREATE INDEX IF NOT EXISTS idx_user_profiles_last_interaction ON user_profiles " +
    "(last_interaction_at DESC, created_at DESC NULLS LAST, id DESC)",
  "CREATE INDEX IF NOT EXISTS idx_user_profiles_needing_analysis ON user_profiles " +
    "(last_interaction_at DESC, created_at DESC NULLS LAST, id DESC) " +
    "WHERE last_analyzed_at IS NULL OR last_analyzed_at < last_interaction_at",
  "CREATE INDEX IF NOT EXISTS idx_analysis_history_user_time ON user_analysis_history " +
    "(user_id, analysis_timestamp DESC, id DESC)",
  "DROP INDEX IF EXISTS idx_analysis_history_user_id"
])
