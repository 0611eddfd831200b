/**
 * @repo/database: the bot's data layer. Services (messages, queries, documents, user profiles) over SQLite or
 * PostgreSQL, the migration modes between them, and the migration programs.
 */
export * from "./runtime/domain/Column.js"
export * from "./runtime/domain/Document.js"
export * from "./runtime/domain/Errors.js"
export * from "./runtime/domain/JsonValue.js"
export * from "./runtime/domain/Message.js"
export * from "./runtime/domain/MessageFilter.js"
export * from "./runtime/domain/Query.js"
export * from "./runtime/domain/Tables.js"
export * from "./runtime/domain/UserAnalysisHistory.js"
export * from "./runtime/domain/UserProfile.js"
export * from "./runtime/domain/WriteOp.js"
export * as DatabaseConfig from "./runtime/config/DatabaseConfig.js"
export { postgresBackend, sqliteBackend } from "./runtime/layers/Backends.js"
export * as PostgresDatabase from "./runtime/layers/PostgresDatabase.js"
export * as SqliteDatabase from "./runtime/layers/SqliteDatabase.js"
export { type Services, ServicesLive } from "./runtime/layers/Services.js"
export { PostgresStoreLive, SqliteStoreLive } from "./runtime/layers/StoreLayers.js"
export { DocumentService } from "./runtime/services/DocumentService.js"
export { IdGenerator } from "./runtime/services/IdGenerator.js"
export { MessageAnalyzer, type MessageAnalysis, AnalyzerError } from "./runtime/services/MessageAnalyzer.js"
export { MessageService } from "./runtime/services/MessageService.js"
export { QueryService } from "./runtime/services/QueryService.js"
export { StoreRouter } from "./runtime/services/StoreRouter.js"
export { UserProfileService } from "./runtime/services/UserProfileService.js"
export { PostgresStore, SqliteStore, type Store } from "./runtime/store/Store.js"
export { runSchemaMigrations } from "./runtime/schema/runSchemaMigrations.js"
export { verify } from "./programs/verify/Verify.js"
export type { CheckName, CheckResult, CheckStatus, VerifyReport } from "./programs/verify/VerifyReport.js"
export {
  defaultVerifyOptions,
  primaryFromEnv,
  type ShadowMetricsSnapshot,
  type VerifyOptions
} from "./programs/verify/VerifyOptions.js"
export { readShadowMetrics } from "./programs/verify/ShadowMetricsFile.js"
export { VerifyError } from "./programs/verify/VerifyError.js"
export { renderVerifyJson, renderVerifyText } from "./programs/verify/RenderVerifyReport.js"
export { repair } from "./programs/repair/Repair.js"
export type { RepairOptions } from "./programs/repair/RepairOptions.js"
export type { RepairReport } from "./programs/repair/RepairReport.js"
export { renderRepairJson, renderRepairText } from "./programs/repair/RenderRepairReport.js"
export * as ReadComparison from "./runtime/compare/ReadComparison.js"
export { compareReads, type CompareReadsSettings } from "./runtime/compare/CompareReads.js"
export { type CompareReadsOptions, compareReadsOptions } from "./runtime/compare/CompareReadsConfig.js"
export {
  compareReadsErrorTotal,
  compareReadsMismatchTotal,
  compareReadsSkippedTotal,
  compareReadsTotal,
  compareReadsTransientTotal,
  type CompareReadsSnapshot
} from "./runtime/compare/CompareReadsMetrics.js"
export { interceptReads, type ReadCall, type ReadOperation } from "./runtime/compare/ReadCall.js"
export * as EmbeddedPostgres from "./programs/embedded/EmbeddedPostgres.js"
export { postgresOrEmbedded, type PostgresTarget } from "./programs/embedded/PostgresOrEmbedded.js"
export { isPglite, supportsCopyFromStdin } from "./programs/embedded/CopyFromStdinSupport.js"
export { VerificationFailed } from "./programs/verify/VerifyError.js"
export { runDemo } from "./programs/demo/Demo.js"
export type { DemoOptions } from "./programs/demo/DemoOptions.js"
export type { DemoSummary, PhaseReport, TableRows } from "./programs/demo/DemoSummary.js"
export { renderDemo } from "./programs/demo/RenderDemo.js"
export { status, type StatusFlags } from "./programs/status/Status.js"
export type { StatusReport } from "./programs/status/StatusReport.js"
export { renderStatusText } from "./programs/status/RenderStatus.js"
export * as ModeConfig from "./runtime/config/ModeConfig.js"
export * as Modes from "./runtime/modes/Mode.js"
export type { Mode } from "./runtime/modes/Mode.js"
export {
  type Database,
  type Databases,
  databaseLayer,
  DatabaseLive,
  type DatabaseSettings,
  modeLayer,
  modeRouter
} from "./runtime/modes/DatabaseLayer.js"
export { ShadowHealth, type ShadowHealthShape, type ShadowHealthSnapshot } from "./runtime/modes/ShadowHealth.js"
export * as ShadowJournal from "./runtime/modes/ShadowJournal.js"
export * as ShadowMetrics from "./runtime/modes/ShadowMetrics.js"
export { defaultShadowOptions, type ShadowOptions } from "./runtime/modes/ShadowOptions.js"
export { isTransient } from "./runtime/modes/TransientError.js"
export {
  createDatabase,
  type DatabaseClient,
  type DocumentServiceClient,
  type MessageServiceClient,
  type QueryServiceClient,
  type UserProfileServiceClient
} from "./runtime/facade/createDatabase.js"
export {
  defaultDatabase,
  disposeDatabase,
  documentService,
  messageService,
  queryService,
  userProfileService
} from "./runtime/facade/defaultDatabase.js"
export { DatabaseConfigError, type Promised } from "./runtime/facade/Promised.js"
export { applySchema, type SchemaSummary } from "./programs/data/ApplySchema.js"
export { copyData, type CopyOptions } from "./programs/data/CopyData.js"
export { exportData, type ExportOptions, type ExportSummary } from "./programs/data/ExportData.js"
export { importData, loadExport, type ImportOptions } from "./programs/data/ImportData.js"
export { verifyExport, type VerifiedExport } from "./programs/data/ExportReader.js"
export { ExportMetadata, type ExportedTable } from "./programs/data/ExportFormat.js"
export { conversionRules, convertCell, type ConversionRule } from "./programs/data/ConversionRules.js"
export { defaultLoadSettings, type LoadSettings } from "./programs/data/LoadTables.js"
export type { LoadSummary, TableLoadSummary, TableCounts } from "./programs/data/LoadSummary.js"
export type { OnConflict } from "./programs/data/TableWriter.js"
export {
  type DataMigrationError,
  ExportInvalid,
  LoadError,
  OutputError,
  SourceError,
  UnknownTable
} from "./programs/data/DataErrors.js"
export { Progress, type ProgressShape, type TableProgress } from "./programs/data/Progress.js"
export * as SqliteSource from "./programs/data/SqliteSource.js"
