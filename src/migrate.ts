/**
 * @repo/database/migrate: the offline migration programs the `omega-db` CLI runs, as Effect programs: schema,
 * export, import, copy, verify, repair and status, with their options, reports and errors.
 */
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
export { MalformedReject } from "./programs/data/RejectRecord.js"
export { renderVerifyJson, renderVerifyText } from "./programs/verify/RenderVerifyReport.js"
export { repair } from "./programs/repair/Repair.js"
export type { RepairOptions } from "./programs/repair/RepairOptions.js"
export type { RepairReport } from "./programs/repair/RepairReport.js"
export { renderRepairJson, renderRepairText } from "./programs/repair/RenderRepairReport.js"
export { VerificationFailed } from "./programs/verify/VerifyError.js"
export { status, type StatusFlags } from "./programs/status/Status.js"
export type { StatusReport } from "./programs/status/StatusReport.js"
export { phaseGate, type PhaseGate } from "./programs/status/PhaseGate.js"
export { PhaseBlocked } from "./programs/status/PhaseBlocked.js"
export { renderStatusText } from "./programs/status/RenderStatus.js"
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
export * as TursoSnapshot from "./programs/data/TursoSnapshot.js"
