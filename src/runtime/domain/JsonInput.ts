/**
 * What a JSON column accepts on write. The bot passes JSON text (the output of `JSON.stringify`, contract §3.6);
 * Effect code passes the value itself. Text is parsed, so either way the same JSON is stored and the legacy read
 * returns it as JSON text again (F7). Text that is not JSON stays that string, which is also how the migration
 * keeps a legacy column's free text: nothing a caller writes is refused or lost for not being JSON.
 */
import { Schema } from "effect"
import { JsonValue } from "./JsonValue.js"

const parseLenient = (text: string): JsonValue => {
  try {
    return JSON.parse(text) as JsonValue
  } catch {
    return text
  }
}

const JsonFromText = Schema.transform(Schema.String, Schema.typeSchema(JsonValue), {
  strict: true,
  decode: parseLenient,
  encode: (value) => JSON.stringify(value)
})

/** JSON text (parsed) or a JSON value (taken as it is). */
export const JsonInput = Schema.Union(JsonFromText, JsonValue).annotations({ identifier: "JsonInput" })
