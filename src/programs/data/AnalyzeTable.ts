/**
 * The last step of a table's load: `VACUUM (ANALYZE)`, on a connection of its own while the next table loads.
 * ANALYZE gives the planner the table's statistics (without them it guesses: a search for a word in two of three
 * messages looks as rare as any other, and PostgreSQL reads its matches instead of walking the timeline). VACUUM
 * marks the loaded pages all-visible, so that counts (a user's messages, a word's matches) are answered from the
 * index alone instead of visiting every row; autovacuum would get there too, but only some time after the load.
 *
 * A failure is logged, not raised: the rows are loaded and indexed, and autovacuum will do the same work later.
 */
import { Effect } from "effect"
import { PostgresDatabase } from "../../runtime/layers/PostgresDatabase.js"
import { withConnectionPermit } from "./ConnectionBudget.js"
import { causeMessage } from "./DataErrors.js"

export const analyzeTable = (table: string) =>
  Effect.gen(function* () {
    const { pool } = yield* PostgresDatabase
    yield* Effect.tryPromise(() => pool.query(`VACUUM (ANALYZE) "${table}"`)).pipe(
      withConnectionPermit(pool),
      Effect.catchAll((error) =>
        Effect.logWarning(`VACUUM (ANALYZE) ${table} failed: ${causeMessage(error.cause)}`).pipe(
          Effect.annotateLogs({ table })
        )
      )
    )
  })
