/**
 * Makes one table on the other side equal to the primary, by key: the table is merge-joined as verify does it,
 * and each row missing or different on the other side is re-read from the primary and applied there as
 * `UpsertRow` (idempotent: running repair twice changes nothing the second time). Rows only on the other side
 * are reported, and deleted only with `deleteExtra`. A row the other side refuses (PostgreSQL's foreign keys
 * refuse legacy orphans, its NUMERIC refuses '' ...) is reported as unrepairable with the database's reason; it
 * is retried once after the table's deletions, which may have removed the row it collided with.
 */
import type { SqlError } from "@effect/sql"
import { Effect, Option } from "effect"
import type { ColumnKind } from "../../runtime/domain/Column.js"
import type { Backend } from "../../runtime/domain/Errors.js"
import type { Table } from "../../runtime/domain/Tables.js"
import type { DbRow } from "../../runtime/store/RowCodec.js"
import { type Canonical, canonicalRow } from "../verify/CanonicalRow.js"
import type { Databases } from "../verify/Databases.js"
import { diffTable, type KeyDifference, missingOn } from "../verify/TableDiff.js"
import { otherBackend } from "../verify/VerifyOptions.js"
import type { TableRepairReport, UnrepairableRow } from "./RepairReport.js"

export interface RowRepairOptions {
  readonly primary: Backend
  readonly pageSize: number
  readonly sampleKeys: number
  readonly deleteExtra: boolean
  readonly dryRun: boolean
}

/** Unrepairable rows kept per table for the report and the rejects file; beyond this only counted. */
const unrepairableCap = 10_000

const readRow = (db: Databases, backend: Backend, table: Table, key: string) =>
  db.client(backend)<DbRow>`SELECT * FROM ${db.client(backend)(table.name)} WHERE id = ${key}`.pipe(
    Effect.map((rows) => Option.fromNullable(rows[0]))
  )

const kindOk: Record<ColumnKind, (value: Canonical) => boolean> = {
  text: (v) => typeof v === "string",
  // NUMERIC since PostgreSQL migration 4: a fraction SQLite keeps in an INTEGER column is copied as it is.
  integer: (v) => typeof v === "number",
  epochMillis: (v) => typeof v === "number" && Number.isInteger(v),
  epochSeconds: (v) => typeof v === "number" && Number.isInteger(v),
  real: (v) => typeof v === "number",
  json: () => true,
  boolean: (v) => typeof v === "boolean"
}

/**
 * Why a row cannot be written as it is, checked before any SQL runs: a value that does not fit its column's kind
 * (SQLite's type affinity let '' into an INTEGER column, or 2 into a boolean) would be refused by PostgreSQL or,
 * worse, coerced into something that differs again; the migration rejects the same values.
 */
const typeMismatch = (table: Table, row: Readonly<Record<string, Canonical>>): string | undefined => {
  for (const [name, column] of Object.entries(table.columns)) {
    const value = row[name] ?? null
    if (value === null) {
      if (!column.nullable) return `type mismatch: ${name} is NULL in a NOT NULL column`
      continue
    }
    if (!kindOk[column.kind](value)) return `type mismatch: ${name} holds ${JSON.stringify(value)}, not ${column.kind}`
  }
  return undefined
}

export interface TableRepairOutcome {
  readonly report: TableRepairReport
  /** The refused rows with the primary's row, for the rejects file. */
  readonly unrepairable: ReadonlyArray<UnrepairableRow & { readonly row: DbRow }>
}

export const repairTable = (
  db: Databases,
  table: Table,
  options: RowRepairOptions
): Effect.Effect<TableRepairOutcome, SqlError.SqlError> =>
  Effect.gen(function* () {
    const { primary, sampleKeys } = options
    const other = otherBackend(primary)
    const target = db.store(other)
    const otherSql = db.client(other)
    const counts = { copied: 0, deleted: 0, extra: 0, vanished: 0 }
    const copiedKeys: Array<string> = []
    const deletedKeys: Array<string> = []
    const extraKeys: Array<string> = []
    const refused: Array<{ key: string; reason: string; row: DbRow }> = []
    let refusedBeyondCap = 0
    const note = (keys: Array<string>, key: string) => {
      if (keys.length < sampleKeys) keys.push(key)
    }

    /** Copies the primary's current row; "Vanished" when it went meanwhile (the delete reaches the shadow itself). */
    const copy = (key: string) =>
      Effect.gen(function* () {
        const current = yield* readRow(db, primary, table, key)
        if (Option.isNone(current)) return { _tag: "Vanished" } as const
        const row = canonicalRow(table, current.value, primary)
        const mismatch = typeMismatch(table, row)
        if (mismatch !== undefined) return { _tag: "Refused", reason: mismatch, row: current.value } as const
        const outcome = yield* Effect.either(
          target.apply({ _tag: "UpsertRow", table: table.name, row }, { asReplica: true })
        )
        return outcome._tag === "Right"
          ? ({ _tag: "Copied" } as const)
          : ({ _tag: "Refused", reason: outcome.left.message, row: current.value } as const)
      })

    const onDifference = (d: KeyDifference) =>
      Effect.gen(function* () {
        if (missingOn(d.kind) === primary) {
          // Only on the other side: report, and delete only when asked and the primary still lacks it.
          if (!options.deleteExtra) {
            counts.extra++
            note(extraKeys, d.key)
            return
          }
          if (options.dryRun) {
            counts.deleted++
            note(deletedKeys, d.key)
            return
          }
          if (Option.isSome(yield* readRow(db, primary, table, d.key))) {
            counts.vanished++
            return
          }
          yield* otherSql`DELETE FROM ${otherSql(table.name)} WHERE id = ${d.key}`
          counts.deleted++
          note(deletedKeys, d.key)
          return
        }
        if (options.dryRun) {
          counts.copied++
          note(copiedKeys, d.key)
          return
        }
        const result = yield* copy(d.key)
        if (result._tag === "Vanished") counts.vanished++
        else if (result._tag === "Copied") {
          counts.copied++
          note(copiedKeys, d.key)
        } else if (refused.length < unrepairableCap)
          refused.push({ key: d.key, reason: result.reason, row: result.row })
        else refusedBeyondCap++
      })

    yield* diffTable({ sqlite: db.sqlite, postgres: db.postgres }, table, options.pageSize, onDifference)

    // Second chance once the table's deletions are done (a row may have collided with a deleted one's unique key).
    const unrepairable: Array<UnrepairableRow & { readonly row: DbRow }> = []
    for (const r of refused) {
      const retry = yield* copy(r.key)
      if (retry._tag === "Copied") {
        counts.copied++
        note(copiedKeys, r.key)
      } else if (retry._tag === "Vanished") counts.vanished++
      else unrepairable.push({ table: table.name, key: r.key, reason: retry.reason, row: retry.row })
    }

    return {
      report: {
        table: table.name,
        ...counts,
        unrepairable: unrepairable.length + refusedBeyondCap,
        knownRejects: 0,
        copiedKeys,
        deletedKeys,
        extraKeys
      },
      unrepairable
    }
  })
