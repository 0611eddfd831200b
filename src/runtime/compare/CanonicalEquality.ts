/**
 * Equality of two decoded read results, as a caller would judge it. Both backends decode into the same models,
 * but JSONB hands objects back with its own key order and SQLite keeps the text's, so objects compare by key
 * set and values, never by key order. The first difference found is returned, with its path, for the log.
 */
import { Option } from "effect"

export interface Difference {
  /** Where the two values part, e.g. `$.some[2].metadata.tags[0]`. */
  readonly path: string
  readonly primary: unknown
  readonly candidate: unknown
}

const isPlainObject = (value: unknown): value is Readonly<Record<string, unknown>> => {
  if (typeof value !== "object" || value === null) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** Keys whose value is `undefined` are as good as absent: an optional field may be either. */
const definedKeys = (value: Readonly<Record<string, unknown>>) =>
  Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort()

const samePrimitive = (a: unknown, b: unknown) =>
  a === b || (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b))

export const firstDifference = (primary: unknown, candidate: unknown, path = "$"): Option.Option<Difference> => {
  const differ = Option.some<Difference>({ path, primary, candidate })
  if (samePrimitive(primary, candidate)) return Option.none()

  if (Option.isOption(primary) || Option.isOption(candidate)) {
    if (!Option.isOption(primary) || !Option.isOption(candidate)) return differ
    if (Option.isNone(primary) || Option.isNone(candidate)) {
      return Option.isNone(primary) && Option.isNone(candidate) ? Option.none() : differ
    }
    return firstDifference(primary.value, candidate.value, `${path}.some`)
  }

  if (Array.isArray(primary) || Array.isArray(candidate)) {
    if (!Array.isArray(primary) || !Array.isArray(candidate)) return differ
    const length = Math.max(primary.length, candidate.length)
    for (let i = 0; i < length; i++) {
      if (i >= primary.length || i >= candidate.length) {
        return Option.some({ path: `${path}.length`, primary: primary.length, candidate: candidate.length })
      }
      const inner = firstDifference(primary[i], candidate[i], `${path}[${i}]`)
      if (Option.isSome(inner)) return inner
    }
    return Option.none()
  }

  if (isPlainObject(primary) && isPlainObject(candidate)) {
    const keys = [...new Set([...definedKeys(primary), ...definedKeys(candidate)])].sort()
    for (const key of keys) {
      const inner = firstDifference(primary[key], candidate[key], `${path}.${key}`)
      if (Option.isSome(inner)) return inner
    }
    return Option.none()
  }

  return differ
}

export const canonicalEquals = (primary: unknown, candidate: unknown): boolean =>
  Option.isNone(firstDifference(primary, candidate))

const idOf = (row: unknown): string => (isPlainObject(row) && typeof row["id"] === "string" ? row["id"] : "")

/** A list read whose order carries no meaning, in a canonical order: by id, compared byte-wise. */
export const sortedById = <A>(value: A): A =>
  Array.isArray(value)
    ? ([...(value as ReadonlyArray<unknown>)].sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0)) as A)
    : value
