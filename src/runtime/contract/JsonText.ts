/**
 * JSON text that is the same whichever database stored the value. PostgreSQL's JSONB keeps object keys in its own
 * order (shorter keys first, then byte order) and SQLite keeps the text as written; writing every object's keys in
 * JSONB's order makes a JSON column read back as identical text from both, so a caller cannot tell them apart.
 */
const utf8 = new TextEncoder()

/** JSONB's key order: by length in bytes, then byte by byte. */
const jsonbKeyOrder = (a: string, b: string): number => {
  const x = utf8.encode(a)
  const y = utf8.encode(b)
  if (x.length !== y.length) return x.length - y.length
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!
  return 0
}

const inJsonbOrder = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(inJsonbOrder)
  if (value === null || typeof value !== "object") return value
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort(jsonbKeyOrder)) {
    out[key] = inJsonbOrder((value as Record<string, unknown>)[key])
  }
  return out
}

/** A decoded JSON value as text, objects' keys in JSONB's order. */
export const jsonText = (value: unknown): string => JSON.stringify(inJsonbOrder(value))
