/**
 * Where row ids come from. Ids are decided once per write (so the same row reaches both databases); tests
 * provide a deterministic generator. Defaults to random UUIDs without any wiring.
 */
import { Context, Effect } from "effect"
import { randomUUID } from "node:crypto"

export interface IdGeneratorShape {
  readonly next: Effect.Effect<string>
}

export class IdGenerator extends Context.Reference<IdGenerator>()("@repo/database/IdGenerator", {
  defaultValue: (): IdGeneratorShape => ({ next: Effect.sync(() => randomUUID()) })
}) {
  /** `prefix-1`, `prefix-2`, ...: for tests. */
  static sequential(prefix = "id"): IdGeneratorShape {
    let n = 0
    return { next: Effect.sync(() => `${prefix}-${String(++n).padStart(6, "0")}`) }
  }
}
