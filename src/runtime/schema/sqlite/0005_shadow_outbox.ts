/**
 * SQLite migration 5, frozen: the transactional outbox replaces the shadow journal. Every write the primary
 * commits is recorded in `shadow_outbox` in the same transaction, so an acknowledged write can no longer be lost
 * by a crash; one applier at a time (the lease) copies the outbox to the shadow in `seq` order. AUTOINCREMENT
 * never reuses a number, even once every entry has been trimmed, and SQLite's single writer hands numbers out in
 * commit order: an applier that has seen entry n has seen every entry before it.
 *
 * The tables a database needs as a shadow live here too (each database is primary in some phases and shadow in
 * others): `shadow_applied` holds, per primary (its `origin`), the last entry applied, written in the same
 * transaction as the entries themselves, so a replay after any interruption is exactly-once; entries the shadow
 * can never take wait in `shadow_dead_letters` with their reason.
 *
 * The journal folds into the outbox: its entries for PostgreSQL move over in replay order and the table goes.
 * (A SQLite journal only ever held entries for PostgreSQL: the journal lived in the primary, for the shadow.)
 */
import { fixedStatements } from "../FrozenMigration.js"

export const shadowOutbox = fixedStatements([
  `CREATE TABLE IF NOT EXISTS shadow_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  aggregate_key TEXT NOT NULL,
  operation TEXT NOT NULL,
  payload TEXT NOT NULL,
  recorded_at BIGINT NOT NULL
)`,
  `CREATE TABLE IF NOT EXISTS shadow_outbox_origin (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  origin TEXT NOT NULL
)`,
  `INSERT INTO shadow_outbox_origin (id, origin)
  SELECT 1, 'sqlite-' || lower(hex(randomblob(8))) WHERE NOT EXISTS (SELECT 1 FROM shadow_outbox_origin)`,
  `CREATE TABLE IF NOT EXISTS shadow_applier_lease (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  holder TEXT NOT NULL,
  expires_at BIGINT NOT NULL
)`,
  "INSERT INTO shadow_applier_lease (id, holder, expires_at) SELECT 1, '', 0 WHERE NOT EXISTS (SELECT 1 FROM shadow_applier_lease)",
  `CREATE TABLE IF NOT EXISTS shadow_applied (
  origin TEXT PRIMARY KEY,
  seq BIGINT NOT NULL,
  applied_at BIGINT NOT NULL
)`,
  `CREATE TABLE IF NOT EXISTS shadow_dead_letters (
  origin TEXT NOT NULL,
  seq BIGINT NOT NULL,
  aggregate_key TEXT NOT NULL,
  operation TEXT NOT NULL,
  payload TEXT NOT NULL,
  error TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  dead_at BIGINT NOT NULL,
  PRIMARY KEY (origin, seq)
)`,
  `INSERT INTO shadow_outbox (aggregate_key, operation, payload, recorded_at)
  SELECT aggregate_key, operation, payload, recorded_at / 1000 FROM shadow_journal WHERE target = 'postgres'
  ORDER BY recorded_at, seq`,
  "DROP TABLE IF EXISTS shadow_journal"
])
