/** A JSON value as callers see the JSON columns: decoded, whatever the backend stored it as. */
import { Schema } from "effect"

export type JsonValue =
  null | boolean | number | string | ReadonlyArray<JsonValue> | { readonly [key: string]: JsonValue }

export const JsonValue: Schema.Schema<JsonValue> = Schema.Union(
  Schema.Null,
  Schema.Boolean,
  Schema.Number,
  Schema.String,
  Schema.Array(Schema.suspend(() => JsonValue)),
  Schema.Record({ key: Schema.String, value: Schema.suspend(() => JsonValue) })
).annotations({ identifier: "JsonValue" })
