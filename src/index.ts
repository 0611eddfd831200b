/**
 * @repo/database: what runs inside the bot. The four services (messages, queries, documents, user profiles) over
 * SQLite or PostgreSQL, the migration modes between them, their configuration and the Promise facade. The offline
 * programs live behind their own entry points ("@repo/database/migrate", "@repo/database/demo"), so importing this
 * one loads no CLI, no embedded server and no generator.
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
export * as PostgresDatabase from "./runtime/layers/PostgresDatabase.js"
export * as SqliteDatabase from "./runtime/layers/SqliteDatabase.js"
export { type Services, ServicesLive } from "./runtime/layers/Services.js"
export { PostgresStoreLive, SqliteStoreLive } from "./runtime/layers/StoreLayers.js"
export { DocumentService } from "./runtime/services/DocumentService.js"
export { IdGenerator } from "./runtime/services/IdGenerator.js"
export {
  AnalyzerError,
  type AnalyzerFunctions,
  fromFunctions as analyzerFromFunctions,
  MessageAnalyzer,
  type MessageAnalyzerShape,
  type MessageContext,
  type PreviousMessage,
  registerAnalyzer
} from "./runtime/services/MessageAnalyzer.js"
export { MessageService } from "./runtime/services/MessageService.js"
export { QueryService } from "./runtime/services/QueryService.js"
export { StoreRouter } from "./runtime/services/StoreRouter.js"
export { UserProfileService } from "./runtime/services/UserProfileService.js"
export { type DatabaseStore, PostgresStore, SqliteStore, type Store } from "./runtime/store/Store.js"
export { runSchemaMigrations } from "./runtime/schema/runSchemaMigrations.js"
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
export * as ModeConfig from "./runtime/config/ModeConfig.js"
export * as Modes from "./runtime/config/Mode.js"
export type { Mode } from "./runtime/config/Mode.js"
export {
  type Database,
  type Databases,
  databaseLayer,
  DatabaseLive,
  type DatabaseSettings,
  modeLayer,
  modeRouter,
  postgresBackend,
  sqliteBackend
} from "./runtime/modes/DatabaseLayer.js"
export {
  type ReplayFailure,
  type ReplayResult,
  ShadowHealth,
  type ShadowHealthShape,
  type ShadowHealthSnapshot
} from "./runtime/modes/ShadowHealth.js"
export type { DeadLetter, OutboxEntry } from "./runtime/store/ReplicationLog.js"
export * as ShadowMetrics from "./runtime/modes/ShadowMetrics.js"
export { defaultShadowOptions, type ShadowOptions } from "./runtime/config/ShadowOptions.js"
export { isTransient } from "./runtime/modes/TransientError.js"
export {
  createDatabase,
  type DatabaseClient,
  type DocumentServiceClient,
  type MessageServiceClient,
  type QueryServiceClient,
  type UserProfileServiceClient
} from "./runtime/facade/createDatabase.js"
export { defaultDatabase, disposeDatabase } from "./runtime/facade/defaultDatabase.js"
export { DatabaseConfigError, type Promised } from "./runtime/facade/Promised.js"
export {
  getMessageById,
  getMessageCount,
  type MessageRecord,
  queryMessages,
  saveAIMessage,
  saveHumanMessage,
  saveToolExecution
} from "./runtime/contract/Messages.js"
export {
  getQueryById,
  getQueryCount,
  getRecentQueries,
  type QueryRecord,
  saveQuery
} from "./runtime/contract/Queries.js"
export {
  addCollaborator,
  createDocument,
  deleteDocument,
  type DocumentCollaboratorRecord,
  type DocumentRecord,
  getDocument,
  getDocumentCollaborators,
  getDocumentCount,
  hasDocumentAccess,
  listDocuments,
  removeCollaborator,
  updateDocumentContent,
  updateDocumentTitle
} from "./runtime/contract/Documents.js"
export {
  createUserProfile,
  getAllUserProfiles,
  getAnalysisHistory,
  getOrCreateUserProfile,
  getUserProfile,
  getUsersNeedingAnalysis,
  incrementMessageCount,
  saveAnalysisHistory,
  type UserAnalysisHistoryRecord,
  type UserProfileRecord,
  type UserProfileRecordUpdates,
  updateUserProfile
} from "./runtime/contract/UserProfiles.js"
export { closeDatabase, getDatabase, initializeDatabase, initializeSchema } from "./runtime/contract/Connection.js"
export {
  DB_CONFIG,
  type DbConfig,
  documentService,
  messageService,
  queryService,
  userProfileService
} from "./runtime/contract/Adapter.js"
export {
  exportAllTables,
  importAllTables,
  initializePostgresSchema,
  MigrationIncomplete
} from "./runtime/contract/MigrationHelpers.js"
export type { LocationRoots, SqliteLocation, TursoDatabase } from "./runtime/config/SqliteLocation.js"
