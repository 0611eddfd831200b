/** The tables a program works on: all six by default, or the ones named, always in parents-first order. */
import { Effect } from "effect"
import { type Table, tables } from "../../runtime/domain/Tables.js"
import { UnknownTable } from "./DataErrors.js"

export const selectTables = (
  names: ReadonlyArray<string> | undefined
): Effect.Effect<ReadonlyArray<Table>, UnknownTable> =>
  Effect.gen(function* () {
    if (names === undefined || names.length === 0) return tables
    for (const name of names) {
      if (!tables.some((t) => t.name === name)) return yield* new UnknownTable({ table: name })
    }
    return tables.filter((t) => names.includes(t.name))
  })
