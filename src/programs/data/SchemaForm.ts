/**
 * Which historical form of the legacy schema a SQLite file has. There is no version table in the field, so the
 * form is read from the columns: "full" has every registry column, "early" lacks some of the user_profiles
 * columns that were added later with ALTER TABLE. A table lacking any other column is not the bot's schema.
 */
import { type TableName, tables } from "../../runtime/domain/Tables.js"

export type SchemaForm = "full" | "early"

export interface TableColumns {
  /** Registry columns the file has, in registry order. */
  readonly present: ReadonlyArray<string>
  /** Late registry columns the file lacks: read as NULL. */
  readonly missing: ReadonlyArray<string>
  /** Columns of the file the registry does not know: not migrated, reported. */
  readonly extra: ReadonlyArray<string>
}

export type SchemaInspection =
  | { readonly _tag: "Known"; readonly form: SchemaForm; readonly tables: ReadonlyMap<TableName, TableColumns> }
  | { readonly _tag: "Unknown"; readonly problem: string }

/** Classifies the columns of each table (`columnsOf` returns an empty list for a table that does not exist). */
export const inspectSchema = (columnsOf: (table: TableName) => ReadonlyArray<string>): SchemaInspection => {
  const result = new Map<TableName, TableColumns>()
  const missingTables: Array<string> = []
  const problems: Array<string> = []
  let early = false
  for (const table of tables) {
    const actual = columnsOf(table.name)
    if (actual.length === 0) {
      missingTables.push(table.name)
      continue
    }
    const have = new Set(actual)
    const names = Object.keys(table.columns)
    const missing = names.filter((name) => !have.has(name))
    const notLate = missing.filter((name) => !table.columns[name]!.late)
    if (notLate.length > 0) problems.push(`${table.name} lacks ${notLate.join(", ")}`)
    if (missing.length > 0) early = true
    result.set(table.name, {
      present: names.filter((name) => have.has(name)),
      missing,
      extra: actual.filter((name) => table.columns[name] === undefined)
    })
  }
  if (missingTables.length === tables.length) return { _tag: "Unknown", problem: "it has none of the bot's tables" }
  if (missingTables.length > 0) problems.unshift(`it has no table ${missingTables.join(", ")}`)
  if (problems.length > 0) return { _tag: "Unknown", problem: problems.join("; ") }
  return { _tag: "Known", form: early ? "early" : "full", tables: result }
}
