/**
 * What the schema migrations leave in a database, read back from the catalog as plain text: tables, columns with
 * their types, constraints, indexes with their definitions, triggers, and the migrations recorded. Comparing this
 * text with a committed snapshot shows that a database migrated today has exactly the shape of one migrated by
 * earlier releases, whatever the code that produced it.
 */
import { SqlClient, type SqlError } from "@effect/sql"
import Sqlite from "better-sqlite3"
import { Effect } from "effect"
import { migrationsTable } from "../../../src/runtime/schema/runSchemaMigrations.js"

/** The Migrator's own bookkeeping table is @effect/sql's shape, not ours: only its rows are compared. */
const recordedMigrations = (rows: ReadonlyArray<{ migration_id: number | string; name: string }>) => [
  "migrations recorded",
  ...rows.map((r) => `  ${Number(r.migration_id)}_${r.name}`)
]

export const postgresCatalog: Effect.Effect<string, SqlError.SqlError, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const tables = yield* sql<{ name: string; kind: string }>`SELECT c.relname AS name, c.relkind::text AS kind
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'S', 'v', 'm', 'p') AND c.relname <> ${migrationsTable}
    ORDER BY c.relname`
  const lines: Array<string> = []
  for (const table of tables) {
    lines.push(`${table.kind === "S" ? "sequence" : "table"} ${table.name}`)
    if (table.kind === "S") continue
    const columns = yield* sql<{ line: string }>`SELECT '  column ' || a.attname || ' ' ||
        format_type(a.atttypid, a.atttypmod) ||
        CASE WHEN a.attcollation <> t.typcollation THEN ' COLLATE "' || co.collname || '"' ELSE '' END ||
        CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END ||
        -- A stored generated column (messages.search_vector) keeps its expression where a default would be.
        COALESCE(CASE WHEN a.attgenerated = 's' THEN ' GENERATED ALWAYS AS (' || pg_get_expr(d.adbin, d.adrelid) ||
          ') STORED' ELSE ' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid) END, '') AS line
      FROM pg_attribute a
      JOIN pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_collation co ON co.oid = a.attcollation
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = ${`"${table.name}"`}::regclass AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`
    const constraints = yield* sql<{ line: string }>`SELECT '  constraint ' || conname || ' ' ||
        pg_get_constraintdef(oid) AS line
      FROM pg_constraint WHERE conrelid = ${`"${table.name}"`}::regclass ORDER BY conname`
    const indexes = yield* sql<{ line: string }>`SELECT '  index ' || indexname || ': ' || indexdef AS line
      FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ${table.name} ORDER BY indexname`
    const triggers = yield* sql<{ line: string }>`SELECT '  trigger ' || tgname || ': ' ||
        pg_get_triggerdef(oid) AS line
      FROM pg_trigger WHERE tgrelid = ${`"${table.name}"`}::regclass AND NOT tgisinternal ORDER BY tgname`
    for (const row of [...columns, ...constraints, ...indexes, ...triggers]) lines.push(row.line)
  }
  const functions = yield* sql<{ line: string }>`SELECT 'function ' || p.proname AS line
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = current_schema() ORDER BY p.proname`
  for (const row of functions) lines.push(row.line)
  const migrations = yield* sql<{ migration_id: number | string; name: string }>`SELECT migration_id, name
    FROM ${sql(migrationsTable)} ORDER BY migration_id`
  return [...lines, ...recordedMigrations(migrations), ""].join("\n")
})

interface MasterRow {
  readonly type: string
  readonly name: string
  readonly tbl_name: string
  readonly sql: string | null
}

interface ColumnRow {
  readonly cid: number
  readonly name: string
  readonly type: string
  readonly notnull: number
  readonly dflt_value: string | null
  readonly pk: number
}

/** Read with a connection of its own, after the migrating client has closed the file. */
export const sqliteCatalog = (path: string): string => {
  const db = new Sqlite(path, { readonly: true })
  try {
    const objects = db
      .prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name <> ? ORDER BY type, name")
      .all(migrationsTable) as Array<MasterRow>
    const lines: Array<string> = []
    for (const object of objects) {
      lines.push(`${object.type} ${object.name} on ${object.tbl_name}`)
      if (object.sql !== null) lines.push(...object.sql.split("\n").map((line) => `  | ${line}`))
      if (object.type !== "table") continue
      const columns = db.prepare("SELECT * FROM pragma_table_info(?) ORDER BY cid").all(object.name) as Array<ColumnRow>
      for (const c of columns) {
        const flags = [
          c.notnull ? " NOT NULL" : "",
          c.pk ? ` PK${c.pk}` : "",
          c.dflt_value ? ` DEFAULT ${c.dflt_value}` : ""
        ]
        lines.push(`  column ${c.cid} ${c.name} ${c.type || "(none)"}${flags.join("")}`)
      }
    }
    const migrations = db
      .prepare(`SELECT migration_id, name FROM ${migrationsTable} ORDER BY migration_id`)
      .all() as Array<{ migration_id: number; name: string }>
    return [...lines, ...recordedMigrations(migrations), ""].join("\n")
  } finally {
    db.close()
  }
}
