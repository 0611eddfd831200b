/**
 * The shadow write counts verify judges the failure rate from. Only the running bot counts shadow writes, so
 * verify reads a snapshot of them: the file the bot writes itself (SHADOW_METRICS_FILE, src/runtime/telemetry),
 * a `ShadowHealthSnapshot` saved by hand, or a plain `{ "writes": n, "failures": m }`.
 */
import { Effect } from "effect"
import * as fs from "node:fs"
import type { ShadowHealthSnapshot } from "../../runtime/modes/ShadowHealth.js"
import { VerifyError } from "./VerifyError.js"
import type { ShadowMetricsSnapshot } from "./VerifyOptions.js"

/**
 * A failed shadow write is one that did not reach the shadow live: journaled (the bot's own failure rate), or
 * worse, neither applied nor journaled. Writes still queued are not resolved yet and not counted.
 */
export const fromHealthSnapshot = (
  snapshot: Pick<ShadowHealthSnapshot, "succeeded" | "journaled" | "unjournaled">,
  source: string
): ShadowMetricsSnapshot => ({
  writes: snapshot.succeeded + snapshot.journaled + snapshot.unjournaled,
  failures: snapshot.journaled + snapshot.unjournaled,
  source
})

const isCount = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value) && value >= 0

export const parseShadowMetrics = (value: unknown, source: string): ShadowMetricsSnapshot | undefined => {
  if (typeof value !== "object" || value === null) return undefined
  const r = value as Record<string, unknown>
  if (isCount(r["succeeded"]) && isCount(r["journaled"])) {
    return fromHealthSnapshot(
      {
        succeeded: r["succeeded"],
        journaled: r["journaled"],
        unjournaled: isCount(r["unjournaled"]) ? r["unjournaled"] : 0
      },
      source
    )
  }
  if (isCount(r["writes"]) && isCount(r["failures"])) return { writes: r["writes"], failures: r["failures"], source }
  return undefined
}

/** The write time a snapshot file records (`writtenAt`, ISO 8601), if any. */
const writtenAtOf = (value: unknown): number | undefined => {
  if (typeof value !== "object" || value === null) return undefined
  const at = (value as Record<string, unknown>)["writtenAt"]
  const millis = typeof at === "string" ? Date.parse(at) : Number.NaN
  return Number.isFinite(millis) ? millis : undefined
}

export const readShadowMetrics = (file: string): Effect.Effect<ShadowMetricsSnapshot, VerifyError> =>
  Effect.try({
    try: () => JSON.parse(fs.readFileSync(file, "utf8")) as unknown,
    catch: (cause) =>
      new VerifyError({
        message: `cannot read shadow metrics ${file}: ${cause instanceof Error ? cause.message : String(cause)}`,
        cause
      })
  }).pipe(
    Effect.flatMap((value) => {
      const metrics = parseShadowMetrics(value, file)
      return metrics === undefined
        ? Effect.fail(
            new VerifyError({
              message: `${file} is not a shadow health snapshot (succeeded, journaled) nor { writes, failures }`
            })
          )
        : Effect.succeed({ ...metrics, writtenAt: writtenAtOf(value) })
    })
  )
