/**
 * Column kinds: the single vocabulary that the models, the DDL of both dialects, the row codecs and the
 * migration's conversion rules are all derived from. A table is a record of columns; its Schema is derived
 * from that record, so a column exists in exactly one place.
 */
import { Schema } from "effect"
import { JsonValue } from "./JsonValue.js"

export type ColumnKind =
  /** TEXT in both dialects. */
  | "text"
  /** INTEGER in SQLite, BIGINT in PostgreSQL; callers always see a number. */
  | "integer"
  /** Epoch milliseconds (`Date.now()`): only messages.timestamp and queries.timestamp. */
  | "epochMillis"
  /** Epoch seconds: every other time column. */
  | "epochSeconds"
  /** REAL in SQLite, DOUBLE PRECISION in PostgreSQL. */
  | "real"
  /** JSON text in SQLite, JSONB in PostgreSQL; callers see the decoded value. */
  | "json"
  /** INTEGER 0/1 in SQLite, BOOLEAN in PostgreSQL. */
  | "boolean"

/** The kinds callers see as a number: a driver may still return them as a bigint or as numeric text. */
export const isNumericKind = (kind: ColumnKind): boolean =>
  kind === "integer" || kind === "real" || kind === "epochMillis" || kind === "epochSeconds"

const kindSchemas = {
  text: Schema.String,
  integer: Schema.Number,
  epochMillis: Schema.Number.annotations({ description: "epoch milliseconds" }),
  epochSeconds: Schema.Number.annotations({ description: "epoch seconds" }),
  real: Schema.Number,
  json: JsonValue,
  boolean: Schema.Boolean
} as const

type KindSchemas = typeof kindSchemas

export interface Column<K extends ColumnKind, Nullable extends boolean> {
  readonly kind: K
  readonly nullable: Nullable
  /** Present when the column may be absent in an older legacy database (added later with ALTER TABLE). */
  readonly late: boolean
  readonly schema: Nullable extends true ? Schema.NullOr<KindSchemas[K]> : KindSchemas[K]
}

export type AnyColumn = Column<ColumnKind, boolean>

const make = <K extends ColumnKind, N extends boolean>(kind: K, nullable: N, late = false): Column<K, N> =>
  ({
    kind,
    nullable,
    late,
    schema: nullable ? Schema.NullOr(kindSchemas[kind]) : kindSchemas[kind]
  }) as Column<K, N>

/** A NOT NULL column. */
export const required = <K extends ColumnKind>(kind: K): Column<K, false> => make(kind, false)
/** A column that may hold NULL. */
export const nullable = <K extends ColumnKind>(kind: K): Column<K, true> => make(kind, true)
/** A nullable column that older legacy databases lack (added later with ALTER TABLE ADD COLUMN). */
export const late = <K extends ColumnKind>(kind: K): Column<K, true> => make(kind, true, true)

export type Columns = Readonly<Record<string, AnyColumn>>

/** The decoded row Schema of a table, derived from its columns. */
export const rowSchema = <C extends Columns>(columns: C): Schema.Struct<{ [K in keyof C]: C[K]["schema"] }> =>
  Schema.Struct(
    Object.fromEntries(Object.entries(columns).map(([name, c]) => [name, c.schema])) as {
      [K in keyof C]: C[K]["schema"]
    }
  )

const strictKindSchemas: Record<ColumnKind, Schema.Schema.AnyNoContext> = {
  text: Schema.String,
  integer: Schema.Int,
  epochMillis: Schema.Int,
  epochSeconds: Schema.Int,
  real: Schema.Finite,
  json: JsonValue,
  boolean: Schema.Boolean
}

/**
 * The Schema a written value must satisfy: stricter than what reads accept (legacy rows can hold a REAL in an
 * INTEGER column; new writes cannot, or PostgreSQL's BIGINT and SQLite would store different things).
 */
export const writeSchemaOf = (column: AnyColumn): Schema.Schema.AnyNoContext =>
  column.nullable ? Schema.NullOr(strictKindSchemas[column.kind]) : strictKindSchemas[column.kind]
