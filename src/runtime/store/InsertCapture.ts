/**
 * Message and query inserts recorded in the outbox by SQLite itself, in the insert's own statement.
 *
 * Nearly all of a bot's writes are message and query inserts. Recorded from JavaScript, each costs a transaction
 * and a second statement around the insert (BEGIN, insert, outbox insert, COMMIT): through @effect/sql about as
 * much again as the insert, the bulk of what shadow mode added to a write. A trigger records the entry instead:
 * the insert alone, autocommitted, writes the row and its outbox entry together, and its RETURNING clause hands
 * back the entry's number and text (the trigger has run when RETURNING is computed).
 *
 * The triggers are TEMP: they live on this process's connection only, from the first recorded insert until the
 * connection closes. A process that does not shadow (phase 1 again after a rollback), another bot on the file,
 * the migration programs and the shadow side of a PostgreSQL primary record nothing through them; a second bot
 * that shadows installs its own. The entry is the same op `encodeOp` writes: the row as stored, JSON columns
 * embedded as JSON (the text they hold is always JSON that this store wrote), its time SQLite's clock.
 */
import type { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import type { Table } from "../domain/Tables.js"
import { messagesTable, queriesTable } from "../domain/Tables.js"

/** The tables whose inserts are captured, with the op and aggregate each entry gets (see `aggregateKey`). */
const captured = [
  { table: messagesTable, operation: "InsertMessage", keyPrefix: "message" },
  { table: queriesTable, operation: "InsertQuery", keyPrefix: "query" }
] as const

/** The row as the op carries it: JSON columns as JSON (text that is not JSON, which never gets here, as text). */
const rowObject = (table: Table) =>
  `json_object(${Object.entries(table.columns)
    .map(([name, column]) => {
      const value = `NEW."${name}"`
      const json =
        column.kind === "json" ? `CASE WHEN json_valid(${value}) THEN json(${value}) ELSE ${value} END` : value
      return `'${name}', ${json}`
    })
    .join(", ")})`

const triggerDdl = ({ keyPrefix, operation, table }: (typeof captured)[number]) =>
  `CREATE TEMP TRIGGER IF NOT EXISTS omega_outbox_${table.name} AFTER INSERT ON main."${table.name}" BEGIN
    INSERT INTO main.shadow_outbox (aggregate_key, operation, payload, recorded_at)
    VALUES ('${keyPrefix}:' || NEW.id, '${operation}', json_object('_tag', '${operation}', 'row', ${rowObject(table)}),
      CAST(unixepoch('subsec') * 1000 AS INTEGER));
  END`

/** Appended to a captured insert: the number and text of the entry its trigger wrote (none when it wrote none). */
export const capturedEntryReturning = `(SELECT seq FROM main.shadow_outbox ORDER BY seq DESC LIMIT 1) AS outbox_seq,
  (SELECT payload FROM main.shadow_outbox ORDER BY seq DESC LIMIT 1) AS outbox_payload`

/** Installs the triggers on the client's connection, both or neither (DDL on TEMP is transactional too). */
export const installInsertCapture = (sql: SqlClient.SqlClient) =>
  sql.withTransaction(Effect.forEach(captured, (c) => sql.unsafe(triggerDdl(c)), { discard: true }))
