/**
 * Any JS value as the JSON a JSON column stores. The bot hands over whatever a tool or a model returned, and the
 * original stored `JSON.stringify(value)`; this gives the same JSON (Dates as ISO text through `toJSON`, `undefined`
 * properties dropped, non-finite numbers as null) without ever throwing, so the row is always written: a BigInt
 * becomes its decimal text and a reference back to an enclosing object becomes a placeholder (contract F8).
 */
import type { JsonValue } from "../../domain/JsonValue.js"

/** Stands in for a value that refers back to one of its own ancestors. */
export const circularPlaceholder = "[Circular]"

type Converted = JsonValue | undefined

const hasToJson = (value: object | bigint): value is { toJSON: (key: string) => unknown } =>
  typeof (value as { toJSON?: unknown }).toJSON === "function"

const convert = (input: unknown, key: string, ancestors: Array<object>): Converted => {
  let value = input
  if ((typeof value === "object" && value !== null) || typeof value === "bigint") {
    if (hasToJson(value)) value = value.toJSON(key)
  }
  // Boxed primitives serialise as their primitive, as JSON.stringify does.
  if (value instanceof Number || value instanceof String || value instanceof Boolean || value instanceof BigInt) {
    value = value.valueOf()
  }
  switch (typeof value) {
    case "string":
    case "boolean":
      return value
    case "number":
      return Number.isFinite(value) ? value : null
    case "bigint":
      return value.toString()
    case "undefined":
    case "function":
    case "symbol":
      return undefined
  }
  if (value === null) return null
  const object = value as object
  if (ancestors.includes(object)) return circularPlaceholder
  ancestors.push(object)
  try {
    if (Array.isArray(object)) {
      return object.map((item: unknown, index) => convert(item, String(index), ancestors) ?? null)
    }
    const out: Record<string, JsonValue> = {}
    for (const [name, item] of Object.entries(object)) {
      const converted = convert(item, name, ancestors)
      if (converted !== undefined) out[name] = converted
    }
    return out
  } finally {
    ancestors.pop()
  }
}

/**
 * The JSON of `value`, or `undefined` where `JSON.stringify` gives nothing (`undefined`, a function, a symbol): the
 * column is then NULL. A `toJSON` or getter that throws leaves its message in place of the value.
 */
export const toJsonValue = (value: unknown): JsonValue | undefined => {
  try {
    return convert(value, "", [])
  } catch (error) {
    return `[Unserializable: ${error instanceof Error ? error.message : String(error)}]`
  }
}

/** The JSON text of `value`, as `JSON.stringify` would write it (never throwing), or `undefined`. */
export const toJsonText = (value: unknown): string | undefined => {
  const json = toJsonValue(value)
  return json === undefined ? undefined : JSON.stringify(json)
}
