/**
 * @repo/database/demo: the end-to-end demo of the whole migration and the embedded PostgreSQL (PGlite) it runs on
 * when no server is configured.
 */
export * as EmbeddedPostgres from "./programs/embedded/EmbeddedPostgres.js"
export { postgresOrEmbedded, type PostgresTarget } from "./programs/embedded/PostgresOrEmbedded.js"
export { isPglite, supportsCopyFromStdin } from "./programs/embedded/CopyFromStdinSupport.js"
export { runDemo } from "./programs/demo/Demo.js"
export type { DemoOptions } from "./programs/demo/DemoOptions.js"
export type { DemoSummary, PhaseReport, TableRows } from "./programs/demo/DemoSummary.js"
export { renderDemo } from "./programs/demo/RenderDemo.js"
