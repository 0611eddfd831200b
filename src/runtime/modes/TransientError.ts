/**
 * Which shadow failures are worth retrying. A lost connection, a server restarting or a busy SQLite file may
 * pass; a constraint violation or a schema mismatch will fail the same way every time, so it goes to the
 * journal at once instead of holding its lane through a backoff.
 */
import type { StoreError } from "../domain/Errors.js"

/** node-postgres and Node socket errors raised when the server cannot be reached or drops the connection. */
const transientNodeCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "ENOTFOUND"
])

/** SQLSTATEs of a server going away or refusing for now (class 08, admin shutdown, crash recovery, overload). */
const transientSqlStates = new Set(["57P01", "57P02", "57P03", "53300", "40001", "40P01", "55000"])

const transientSqliteCodes = new Set(["SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_RECOVERY"])

/** Messages of node-postgres and @effect/sql-pg that mean "no usable connection" rather than "bad statement". */
const transientMessages = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /failed to acquire connection/i,
  /connection error/i,
  /not queryable/i,
  /server closed the connection/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /is not currently accepting connections/i
]

const field = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined

const isTransientCause = (cause: unknown, depth: number): boolean => {
  if (cause === undefined || cause === null || depth > 5) return false
  const code = field(cause, "code")
  if (typeof code === "string") {
    if (transientNodeCodes.has(code) || transientSqliteCodes.has(code) || transientSqlStates.has(code)) return true
    if (code.startsWith("08")) return true
  }
  // A FATAL PostgreSQL error ends the session: it concerns the connection, not the statement.
  if (field(cause, "severity") === "FATAL") return true
  const message = field(cause, "message")
  if (typeof message === "string" && transientMessages.some((re) => re.test(message))) return true
  return isTransientCause(field(cause, "cause"), depth + 1)
}

export const isTransient = (error: StoreError): boolean => isTransientCause(error.cause, 0)
