/**
 * Reads a listing page by page and keeps the rows a predicate accepts. For the few reads whose filter or order
 * the Store cannot express yet (documents by creator alone, profiles by last interaction): the service narrows a
 * listing the Store does offer. Each use says which Store read would replace it.
 */
import { Effect } from "effect"

/** Rows per Store call while scanning. */
export const scanPageSize = 1000

/**
 * The rows of `page(offset)` for offset 0, `scanPageSize`, ... that satisfy `keep`, in listing order, stopping
 * at the first short page or once `enough` rows are kept.
 */
export const scanPages = <A, E>(
  page: (offset: number) => Effect.Effect<ReadonlyArray<A>, E>,
  keep: (row: A) => boolean,
  enough = Number.POSITIVE_INFINITY
): Effect.Effect<Array<A>, E> =>
  Effect.gen(function* () {
    const kept: Array<A> = []
    for (let offset = 0; ; offset += scanPageSize) {
      const rows = yield* page(offset)
      for (const row of rows) if (keep(row)) kept.push(row)
      if (rows.length < scanPageSize || kept.length >= enough) return kept
    }
  })
