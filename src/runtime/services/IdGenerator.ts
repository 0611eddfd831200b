/**
 * Where row ids come from. Ids are decided once per write (so the same row reaches both databases); tests
 * provide a deterministic generator. Defaults to time-ordered UUIDs without any wiring.
 */
import { Context, Effect } from "effect"
import { randomBytes } from "node:crypto"

export interface IdGeneratorShape {
  readonly next: Effect.Effect<string>
}

/**
 * UUID version 7 (RFC 9562): 48 bits of epoch milliseconds, a 12-bit counter for ids of the same millisecond,
 * then random bits. Ids made by one process sort (byte-wise, as both backends order ids) in the order they were
 * made, so rows whose times are equal (the same second, the same millisecond) still list in insertion order
 * (contract F5): the Store breaks such ties on `id`.
 */
export const timeOrderedIds = (): (() => string) => {
  let lastMs = -1
  let counter = 0
  return () => {
    const now = Date.now()
    if (now > lastMs) {
      lastMs = now
      // Start low in the counter's range so a burst within one millisecond rarely runs out of it.
      counter = randomBytes(1)[0]! & 0x7f
    } else if (++counter > 0xfff) {
      // Out of counter (or the clock went back): borrow the next millisecond rather than lose the order.
      lastMs += 1
      counter = 0
    }
    const bytes = randomBytes(16)
    bytes.writeUIntBE(lastMs, 0, 6)
    bytes[6] = 0x70 | (counter >> 8)
    bytes[7] = counter & 0xff
    bytes[8] = 0x80 | (bytes[8]! & 0x3f)
    const hex = bytes.toString("hex")
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  }
}

export class IdGenerator extends Context.Reference<IdGenerator>()("@repo/database/IdGenerator", {
  defaultValue: (): IdGeneratorShape => {
    const next = timeOrderedIds()
    return { next: Effect.sync(next) }
  }
}) {
  /** `prefix-1`, `prefix-2`, ...: for tests. */
  static sequential(prefix = "id"): IdGeneratorShape {
    let n = 0
    return { next: Effect.sync(() => `${prefix}-${String(++n).padStart(6, "0")}`) }
  }
}
