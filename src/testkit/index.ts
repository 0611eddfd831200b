/**
 * @repo/database/testkit: support for tests and benchmarks, not runtime code. A deterministic generator of SQLite
 * databases in the bot's legacy production shape, with its data quirks.
 */
export * from "./LegacyDatabaseGenerator.js"
export { legacySchemaSql, legacySchemaSqlEarly } from "../runtime/schema/LegacySchema.js"
