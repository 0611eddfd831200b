/**
 * The loader writes without the tally triggers (PgSession.ts: a COPY batch tallied by them made a 1M-message copy
 * a third slower); once a table's rows are in, its tallies are counted again from the rows, in one transaction
 * that holds other writers (a bot's shadow applier) off for the count, so that none of their writes is missed or
 * counted twice. A failure fails the load: a count served from a stale tally would be wrong.
 */
import { Effect } from "effect"
import { isTalliedTable, recountTallies as recountStatements } from "../../runtime/schema/CurrentSchema.js"
import { LoadError } from "./DataErrors.js"
import { pgSession } from "./PgSession.js"

export const recountTallies = (table: string) =>
  !isTalliedTable(table)
    ? Effect.void
    : Effect.scoped(
        Effect.gen(function* () {
          const session = yield* pgSession(table)
          yield* session.query("BEGIN")
          for (const statement of recountStatements("postgres", table)) yield* session.query(statement)
          yield* session.query("COMMIT")
        }).pipe(
          Effect.catchTag("PgFailure", (failure) =>
            Effect.fail(
              new LoadError({
                table,
                message: `recounting the tallies of ${table} failed: ${failure.message}`,
                cause: failure
              })
            )
          ),
          Effect.withLogSpan("recount tallies")
        )
      )
