/**
 * The rollback plan: remove the variables and the bot is back on SQLite alone. Because PostgreSQL primary ran
 * with SQLite as its shadow, nothing is lost: every row written under PostgreSQL primary is read back through
 * the services from SQLite, in its last state, and both databases still hold the same rows.
 */
import { Effect, Option } from "effect"
import type { TableName } from "../../../runtime/domain/Tables.js"
import { DocumentService } from "../../../runtime/services/DocumentService.js"
import { MessageService } from "../../../runtime/services/MessageService.js"
import { QueryService } from "../../../runtime/services/QueryService.js"
import { UserProfileService } from "../../../runtime/services/UserProfileService.js"
import { bothDatabases, countRows, countsMatch, type DemoDatabaseSettings, totalRows } from "../DemoDatabases.js"
import { inMode, rollbackVariables } from "../ModeEnvironment.js"
import { phaseOutcome } from "../Phase.js"
import type { Written } from "../Workload.js"

const n = (value: number) => value.toLocaleString("en-US")

const countWhere = <A>(items: ReadonlyArray<A>, found: (a: A) => Effect.Effect<boolean, unknown>) =>
  Effect.map(Effect.forEach(items, found, { concurrency: 8 }), (results) => results.filter(Boolean).length)

export const rollbackPhase = (
  settings: DemoDatabaseSettings & {
    /** What was written while PostgreSQL was primary. */
    readonly written: Written
    readonly rejected: Partial<Record<TableName, number>>
  }
) =>
  Effect.gen(function* () {
    const { written } = settings
    const { mode, value: found } = yield* inMode(
      rollbackVariables,
      settings,
      Effect.gen(function* () {
        const messages = yield* MessageService
        const queries = yield* QueryService
        const documents = yield* DocumentService
        const profiles = yield* UserProfileService
        return {
          messages: yield* countWhere(written.messages, (id) => Effect.map(messages.getMessageById(id), Option.isSome)),
          queries: yield* countWhere(written.queries, (id) => Effect.map(queries.getQueryById(id), Option.isSome)),
          documents: yield* countWhere(written.documents, ({ id, content }) =>
            Effect.map(documents.getDocument(id), (doc) => Option.isSome(doc) && doc.value.content === content)
          ),
          users: yield* countWhere(written.users, ({ userId, messageCount }) =>
            Effect.map(
              profiles.getUserProfile(userId),
              (profile) => Option.isSome(profile) && (profile.value.message_count ?? 0) === messageCount
            )
          )
        }
      })
    )
    const rows = yield* countRows(settings.rejected).pipe(Effect.provide(bothDatabases(settings)))
    const equal = countsMatch(rows)
    const complete =
      found.messages === written.messages.length &&
      found.queries === written.queries.length &&
      found.documents === written.documents.length &&
      found.users === written.users.length
    return phaseOutcome({
      ok: complete && equal,
      problem: complete ? "the two databases hold different rows" : "writes made under PostgreSQL primary are missing",
      environment: {
        USE_POSTGRES_PRIMARY: "(removed)",
        USE_POSTGRES_READ: "(removed)",
        USE_POSTGRES_SHADOW: "(removed)"
      },
      mode,
      figures: {
        "messages written under PostgreSQL primary, found in SQLite": `${found.messages} of ${written.messages.length}`,
        "queries found": `${found.queries} of ${written.queries.length}`,
        "documents found with their last content": `${found.documents} of ${written.documents.length}`,
        "profiles found with their last message count": `${found.users} of ${written.users.length}`,
        rows: `SQLite ${n(totalRows(rows, "sqlite"))}, PostgreSQL ${n(totalRows(rows, "postgres"))}`,
        "same rows on both sides (rejects aside)": equal
      },
      notes: ["nothing was lost: SQLite received every write as PostgreSQL's shadow, so the rollback is instant"],
      details: { found, rows },
      value: rows
    })
  })
