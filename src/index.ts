/**
 * @repo/database: the bot's data layer. Services (messages, queries, documents, user profiles) over SQLite or
 * PostgreSQL, the migration modes between them, and the migration programs.
 */
export * from "./domain/Column.js"
export * from "./domain/Document.js"
export * from "./domain/Errors.js"
export * from "./domain/JsonValue.js"
export * from "./domain/Message.js"
export * from "./domain/MessageFilter.js"
export * from "./domain/Query.js"
export * from "./domain/Tables.js"
export * from "./domain/UserAnalysisHistory.js"
export * from "./domain/UserProfile.js"
export * from "./domain/WriteOp.js"
export * as DatabaseConfig from "./config/DatabaseConfig.js"
export { postgresBackend, sqliteBackend } from "./layers/Backends.js"
export * as PostgresDatabase from "./layers/PostgresDatabase.js"
export * as SqliteDatabase from "./layers/SqliteDatabase.js"
export { type Services, ServicesLive } from "./layers/Services.js"
export { PostgresStoreLive, SqliteStoreLive } from "./layers/StoreLayers.js"
export { DocumentService } from "./services/DocumentService.js"
export { IdGenerator } from "./services/IdGenerator.js"
export { MessageAnalyzer, type MessageAnalysis, AnalyzerError } from "./services/MessageAnalyzer.js"
export { MessageService } from "./services/MessageService.js"
export { QueryService } from "./services/QueryService.js"
export { StoreRouter } from "./services/StoreRouter.js"
export { UserProfileService } from "./services/UserProfileService.js"
export { PostgresStore, SqliteStore, type Store } from "./store/Store.js"
export { runSchemaMigrations } from "./migration/schema/runSchemaMigrations.js"
export { verify } from "./migration/verify/Verify.js"
export type { CheckName, CheckResult, CheckStatus, VerifyReport } from "./migration/verify/VerifyReport.js"
export {
  defaultVerifyOptions,
  primaryFromEnv,
  type ShadowMetricsSnapshot,
  type VerifyOptions
} from "./migration/verify/VerifyOptions.js"
export { readShadowMetrics } from "./migration/verify/ShadowMetricsFile.js"
export { VerifyError } from "./migration/verify/VerifyError.js"
export { renderVerifyJson, renderVerifyText } from "./migration/verify/RenderVerifyReport.js"
export { repair } from "./migration/repair/Repair.js"
export type { RepairOptions } from "./migration/repair/RepairOptions.js"
export type { RepairReport } from "./migration/repair/RepairReport.js"
export { renderRepairJson, renderRepairText } from "./migration/repair/RenderRepairReport.js"
export * as ReadComparison from "./compare/ReadComparison.js"
export { compareReads, type CompareReadsSettings } from "./compare/CompareReads.js"
export { type CompareReadsOptions, compareReadsOptions } from "./compare/CompareReadsConfig.js"
export {
  compareReadsErrorTotal,
  compareReadsMismatchTotal,
  compareReadsSkippedTotal,
  compareReadsTotal,
  compareReadsTransientTotal,
  type CompareReadsSnapshot
} from "./compare/CompareReadsMetrics.js"
export { interceptReads, type ReadCall, type ReadOperation } from "./compare/ReadCall.js"
export * as EmbeddedPostgres from "./embedded/EmbeddedPostgres.js"
export { postgresOrEmbedded, type PostgresTarget } from "./embedded/PostgresOrEmbedded.js"
export { isPglite, supportsCopyFromStdin } from "./embedded/CopyFromStdinSupport.js"
export { VerificationFailed } from "./migration/verify/VerifyError.js"
export { runDemo } from "./demo/Demo.js"
export type { DemoOptions } from "./demo/DemoOptions.js"
export type { DemoSummary, PhaseReport, TableRows } from "./demo/DemoSummary.js"
export { renderDemo } from "./demo/RenderDemo.js"
export { status, type StatusFlags } from "./status/Status.js"
export type { StatusReport } from "./status/StatusReport.js"
export { renderStatusText } from "./status/RenderStatus.js"
export * as ModeConfig from "./config/ModeConfig.js"
export * as Modes from "./modes/Mode.js"
export type { Mode } from "./modes/Mode.js"
export {
  type Database,
  type Databases,
  databaseLayer,
  DatabaseLive,
  type DatabaseSettings,
  modeLayer,
  modeRouter
} from "./modes/DatabaseLayer.js"
export { ShadowHealth, type ShadowHealthShape, type ShadowHealthSnapshot } from "./modes/ShadowHealth.js"
export * as ShadowJournal from "./modes/ShadowJournal.js"
export * as ShadowMetrics from "./modes/ShadowMetrics.js"
export { defaultShadowOptions, type ShadowOptions } from "./modes/ShadowOptions.js"
export { isTransient } from "./modes/TransientError.js"
export {
  createDatabase,
  type DatabaseClient,
  type DocumentServiceClient,
  type MessageServiceClient,
  type QueryServiceClient,
  type UserProfileServiceClient
} from "./facade/createDatabase.js"
export {
  defaultDatabase,
  disposeDatabase,
  documentService,
  messageService,
  queryService,
  userProfileService
} from "./facade/defaultDatabase.js"
export { DatabaseConfigError, type Promised } from "./facade/Promised.js"
export { applySchema, type SchemaSummary } from "./migration/data/ApplySchema.js"
export { copyData, type CopyOptions } from "./migration/data/CopyData.js"
export { exportData, type ExportOptions, type ExportSummary } from "./migration/data/ExportData.js"
export { importData, loadExport, type ImportOptions } from "./migration/data/ImportData.js"
export { verifyExport, type VerifiedExport } from "./migration/data/ExportReader.js"
export { ExportMetadata, type ExportedTable } from "./migration/data/ExportFormat.js"
export { conversionRules, convertCell, type ConversionRule } from "./migration/data/ConversionRules.js"
export { defaultLoadSettings, type LoadSettings } from "./migration/data/LoadTables.js"
export type { LoadSummary, TableLoadSummary, TableCounts } from "./migration/data/LoadSummary.js"
export type { OnConflict } from "./migration/data/TableWriter.js"
export {
  type DataMigrationError,
  ExportInvalid,
  LoadError,
  OutputError,
  SourceError,
  UnknownTable
} from "./migration/data/DataErrors.js"
export { Progress, type ProgressShape, type TableProgress } from "./migration/data/Progress.js"
export * as SqliteSource from "./migration/data/SqliteSource.js"
