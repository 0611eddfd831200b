/**
 * U+0000 in written text, made to behave the same on both backends. SQLite stores it; PostgreSQL refuses it in
 * TEXT and JSONB, so the same write would succeed on one side and fail for ever on the other (a poison shadow
 * write, or a bot that fails on PostgreSQL where it worked on SQLite). The migration already removes it
 * (ConversionRules, counted as sanitized) and verify compares text without it; live writes do the same before
 * either database sees them, in every mode, and each removal is counted and logged, so it is recorded, not silent.
 */
import { Effect, Metric } from "effect"
import { aggregateKey, type WriteOp } from "../domain/WriteOp.js"

const nul = "\u0000"

export const nulRemoved = Metric.counter("database_text_nul_removed", {
  description: "writes from which U+0000 was removed from text or JSON strings before they reached either database",
  incremental: true
})

const hasNul = (value: unknown): boolean => {
  if (typeof value === "string") return value.includes(nul)
  if (Array.isArray(value)) return value.some(hasNul)
  if (typeof value === "object" && value !== null) {
    for (const [key, inner] of Object.entries(value)) if (key.includes(nul) || hasNul(inner)) return true
  }
  return false
}

const strip = (value: unknown): unknown => {
  if (typeof value === "string") return value.replaceAll(nul, "")
  if (Array.isArray(value)) return value.map(strip)
  if (typeof value === "object" && value !== null) {
    // A null prototype, so that a "__proto__" key in a JSON value stays a key.
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    for (const [key, inner] of Object.entries(value)) out[key.replaceAll(nul, "")] = strip(inner)
    return out
  }
  return value
}

/** `op` without U+0000 anywhere in its text; the same op when it holds none (the common case: no copy). */
export const withoutNul = (op: WriteOp): { readonly op: WriteOp; readonly removed: boolean } => {
  if (!hasNul(op)) return { op, removed: false }
  const { _tag, ...fields } = op
  return { op: { _tag, ...(strip(fields) as object) } as WriteOp, removed: true }
}

/** Applies `write` to `op` without its U+0000, recording the removal. */
export const writeWithoutNul =
  <A, E, R>(write: (op: WriteOp) => Effect.Effect<A, E, R>) =>
  (op: WriteOp): Effect.Effect<A, E, R> => {
    const clean = withoutNul(op)
    if (!clean.removed) return write(op)
    return Effect.zipRight(
      Effect.zipRight(
        Metric.increment(Metric.tagged(nulRemoved, "operation", op._tag)),
        Effect.logWarning("U+0000 removed from written text (PostgreSQL cannot store it)").pipe(
          Effect.annotateLogs({ operation: op._tag, aggregate: aggregateKey(op) })
        )
      ),
      write(clean.op)
    )
  }
