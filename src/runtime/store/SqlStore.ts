/**
 * The Store over an @effect/sql client. One implementation serves both backends: the dialect differences
 * (full-text search, boolean literals, identifier collation) are decided once, when the store is built.
 * Capturing the client does not pin the connection: @effect/sql v3 keeps an open transaction under one context
 * key shared by every client, so a query made here inside another client's `withTransaction` runs on that
 * client's connection. The shadow path keeps its queries out of callers' transactions (modes/ShadowIsolation).
 */
import { SqlClient, type SqlError, type Statement } from "@effect/sql"
import { Effect, Either, Option } from "effect"
import type { ParseError } from "effect/ParseResult"
import type { Columns } from "../domain/Column.js"
import { defaultCollaboratorRole, Document, DocumentCollaborator, ownerRole } from "../domain/Document.js"
import { type Backend, StoreError } from "../domain/Errors.js"
import { pgWholeTable } from "../schema/CurrentSchema.js"
import { Message } from "../domain/Message.js"
import {
  defaultLimit,
  isBlankSearch,
  type MessageCountFilter,
  type MessageFilter,
  searchWords
} from "../domain/MessageFilter.js"
import { Query } from "../domain/Query.js"
import {
  documentCollaboratorsTable,
  documentsTable,
  messagesTable,
  queriesTable,
  type Table,
  tableByName,
  userAnalysisHistoryTable,
  userProfilesTable
} from "../domain/Tables.js"
import { UserAnalysisHistory } from "../domain/UserAnalysisHistory.js"
import { UserProfile } from "../domain/UserProfile.js"
import type { AppliedWrite, WriteOp } from "../domain/WriteOp.js"
import { type DbRow, encodeRow, rowDecoder } from "./RowCodec.js"
import { planSqliteSearch, searchCondition, type SqliteSearchForm } from "./SqliteSearchPlan.js"
import type { ApplyOptions, DatabaseStore, DocumentFilter, NeedingAnalysisOptions } from "./Store.js"
import { storeReplication } from "./StoreReplication.js"
import { makeTransactor } from "./Transactions.js"
import { messageTally, queryTally, type Tally } from "./Tallies.js"
import { upsertOnId } from "./UpsertClause.js"

/**
 * What the PostgreSQL GIN index covers (migration 7): the stored column generated from messages_search_vector(),
 * which folds and splits the text as SQLite's FTS5 table does (SQLite migration 4). Queries must name it to use the
 * index.
 */
export const pgSearchVector = "search_vector"

/**
 * The columns a message read returns, named rather than `*`: PostgreSQL's row also holds the search vector, which
 * no caller reads and which would be sent and parsed with every row.
 */
const messageColumns = Object.keys(messagesTable.columns)
  .map((name) => `"${name}"`)
  .join(", ")

export const makeSqlStore = (backend: Backend) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const withTransaction = makeTransactor(sql)
    const isPg = backend === "postgres"
    const trueLiteral = isPg ? "TRUE" : "1"

    const storeError =
      (operation: string) =>
      <A, R>(effect: Effect.Effect<A, SqlError.SqlError | ParseError | StoreError, R>) =>
        Effect.mapError(effect, (cause) =>
          cause._tag === "StoreError"
            ? cause
            : new StoreError({
                backend,
                operation,
                message:
                  cause._tag === "ParseError"
                    ? `${backend} ${operation}: a stored row does not match its model: ${cause.message}`
                    : `${backend} ${operation} failed: ${describeCause(cause)}`,
                cause
              })
        )

    const decoders = {
      messages: rowDecoder(messagesTable.columns, Message, backend),
      queries: rowDecoder(queriesTable.columns, Query, backend),
      documents: rowDecoder(documentsTable.columns, Document, backend),
      collaborators: rowDecoder(documentCollaboratorsTable.columns, DocumentCollaborator, backend),
      profiles: rowDecoder(userProfilesTable.columns, UserProfile, backend),
      history: rowDecoder(userAnalysisHistoryTable.columns, UserAnalysisHistory, backend)
    }

    /** Decodes in one synchronous pass (not an Effect per row: a timeline is up to 1,000 of them). */
    const decodeAll = <A>(rows: ReadonlyArray<DbRow>, decode: (row: DbRow) => Either.Either<A, ParseError>) =>
      Effect.suspend((): Effect.Effect<ReadonlyArray<A>, ParseError> => {
        const out = new Array<A>(rows.length)
        for (let i = 0; i < rows.length; i++) {
          const decoded = decode(rows[i]!)
          if (Either.isLeft(decoded)) return Effect.fail(decoded.left)
          out[i] = decoded.right
        }
        return Effect.succeed(out)
      })

    const decodeFirst = <A>(rows: ReadonlyArray<DbRow>, decode: (row: DbRow) => Either.Either<A, ParseError>) =>
      rows[0] === undefined ? Effect.succeed(Option.none<A>()) : Effect.asSome(decode(rows[0]))

    const encode = (columns: Columns, row: Readonly<Record<string, unknown>>) => encodeRow(columns, row, backend)

    /** `keepOn`: a unique column; a row already holding the value is kept and nothing is inserted (0 rows). */
    const insertRow = (table: Table, row: Readonly<Record<string, unknown>>, asReplica: boolean, keepOn?: string) => {
      const encoded = encode(table.columns, row)
      return sql<{ id: string }>`INSERT INTO ${sql(table.name)} ${sql.insert(encoded)} ${
        asReplica
          ? upsertOnId(sql, Object.keys(encoded))
          : keepOn === undefined
            ? sql.literal("")
            : sql`ON CONFLICT (${sql(keepOn)}) DO NOTHING`
      } RETURNING id`.pipe(Effect.map((rows) => rows.length))
    }

    /**
     * One statement, so concurrent adds of one pair cannot interleave a read with a write (contract F12). Nothing
     * is inserted for a missing document (0 rows): SQLite in the field never enforced the foreign key. The role
     * given is bound twice because, under `merge`, the inserted row's role has its default filled in already.
     */
    const upsertCollaborator = (op: Extract<WriteOp, { _tag: "UpsertCollaborator" }>) => {
      const { row } = op
      const merge = op.merge === true
      const set = merge
        ? sql`username = COALESCE(excluded.username, document_collaborators.username),
            role = CASE WHEN document_collaborators.role = ${ownerRole} THEN document_collaborators.role
              ELSE COALESCE(${row.role}, document_collaborators.role) END`
        : sql`username = excluded.username, role = excluded.role`
      return sql<DbRow>`INSERT INTO document_collaborators (id, document_id, user_id, username, role, joined_at)
        SELECT ${row.id}, ${row.document_id}, ${row.user_id}, ${row.username},
          ${merge ? sql`COALESCE(${row.role}, ${defaultCollaboratorRole})` : sql`${row.role}`}, ${row.joined_at}
        WHERE EXISTS (SELECT 1 FROM documents WHERE id = ${row.document_id})
        ON CONFLICT (document_id, user_id) DO UPDATE SET ${set}
        RETURNING *`
    }

    const updateWhere = (table: Table, set: Readonly<Record<string, unknown>>, where: Statement.Fragment) => {
      const encoded = encode(table.columns, set)
      if (Object.keys(encoded).length === 0) {
        return sql<{ id: string }>`SELECT id FROM ${sql(table.name)} WHERE ${where}`.pipe(
          Effect.map((rows) => rows.length)
        )
      }
      return sql<{ id: string }>`UPDATE ${sql(table.name)} SET ${sql.update(encoded)} WHERE ${where} RETURNING id`.pipe(
        Effect.map((rows) => rows.length)
      )
    }

    const exists = (table: Table, where: Statement.Fragment) =>
      sql`SELECT 1 AS present FROM ${sql(table.name)} WHERE ${where} LIMIT 1`.pipe(
        Effect.map((rows) => rows.length > 0)
      )

    const applied = (rowsAffected: number, replicate: WriteOp): AppliedWrite => ({ rowsAffected, replicate })

    const applyOp = (op: WriteOp, asReplica: boolean): Effect.Effect<AppliedWrite, SqlError.SqlError | StoreError> => {
      switch (op._tag) {
        case "InsertMessage":
          return insertRow(messagesTable, op.row, asReplica).pipe(Effect.map((n) => applied(n, op)))
        case "InsertQuery":
          return insertRow(queriesTable, op.row, asReplica).pipe(Effect.map((n) => applied(n, op)))
        case "CreateDocument":
          return Effect.zipRight(
            insertRow(documentsTable, op.document, asReplica),
            insertRow(documentCollaboratorsTable, op.owner, asReplica)
          ).pipe(
            Effect.map((n) => applied(n, op)),
            withTransaction
          )
        case "UpdateDocument":
          return updateWhere(documentsTable, op.set, sql`id = ${op.id}`).pipe(Effect.map((n) => applied(n, op)))
        case "DeleteDocument":
          // SQLite never enforced the cascade (foreign keys are off in the field), so remove children explicitly.
          return Effect.zipRight(
            sql`DELETE FROM document_collaborators WHERE document_id = ${op.id}`,
            sql<{ id: string }>`DELETE FROM documents WHERE id = ${op.id} RETURNING id`
          ).pipe(
            Effect.map((rows) => applied(rows.length, op)),
            withTransaction
          )
        case "UpsertCollaborator":
          return upsertCollaborator(op).pipe(
            Effect.flatMap((rows) => decodeAll(rows, decoders.collaborators)),
            // A replica stores the row as merged here: the merge is decided once, by the primary.
            Effect.map((stored) =>
              applied(stored.length, stored[0] ? { _tag: "UpsertCollaborator", row: stored[0] } : op)
            ),
            storeError("apply UpsertCollaborator")
          )
        case "RemoveCollaborator":
          return sql<{ id: string }>`DELETE FROM document_collaborators
            WHERE document_id = ${op.documentId} AND user_id = ${op.userId} RETURNING id`.pipe(
            Effect.map((rows) => applied(rows.length, op))
          )
        case "InsertProfile":
          return insertRow(userProfilesTable, op.row, asReplica, op.ifAbsent === true ? "user_id" : undefined).pipe(
            Effect.map((n) => applied(n, op))
          )
        case "UpdateProfile":
          return updateWhere(userProfilesTable, op.set, sql`user_id = ${op.userId}`).pipe(
            Effect.map((n) => applied(n, op))
          )
        case "IncrementMessageCount":
          return sql<{ message_count: number | string }>`UPDATE user_profiles
            SET message_count = COALESCE(message_count, 0) + 1, last_interaction_at = ${op.at}, updated_at = ${op.at}
            WHERE user_id = ${op.userId} RETURNING message_count`.pipe(
            Effect.map((rows) =>
              applied(rows.length, {
                _tag: "UpdateProfile",
                userId: op.userId,
                set: {
                  message_count: Number(rows[0]?.message_count ?? 0),
                  last_interaction_at: op.at,
                  updated_at: op.at
                }
              })
            )
          )
        case "InsertAnalysisHistory":
          return Effect.gen(function* () {
            if (!(yield* exists(userProfilesTable, sql`user_id = ${op.row.user_id}`))) return applied(0, op)
            return applied(yield* insertRow(userAnalysisHistoryTable, op.row, asReplica), op)
          }).pipe(withTransaction)
        case "UpsertRow": {
          const table = tableByName(op.table)
          if (table === undefined) {
            return Effect.fail(
              new StoreError({ backend, operation: "apply UpsertRow", message: `unknown table ${op.table}` })
            )
          }
          return insertRow(table, op.row, true).pipe(Effect.map((n) => applied(n, op)))
        }
      }
    }

    const apply = (op: WriteOp, options?: ApplyOptions) =>
      applyOp(op, options?.asReplica === true).pipe(storeError(`apply ${op._tag}`))

    // ---- reads -------------------------------------------------------------------------------------------------

    /**
     * What a read without a user, channel or creator states on PostgreSQL so that it may walk the whole table's
     * time index, which the reads of one user cannot (PostgreSQL migration 8). A literal: the planner must see it.
     */
    const wholeTable: ReadonlyArray<Statement.Fragment> = isPg ? [sql.literal(pgWholeTable)] : []

    /** An FTS5 query of the words: each quoted as a string, so AND, NEAR or * lose their meaning. */
    const ftsMatch = (words: ReadonlyArray<string>) => words.map((w) => `"${w.replaceAll('"', '""')}"`).join(" AND ")

    /** The words of a search that has any, else undefined (no search, or nothing searchable). */
    const searchedWords = (filter: Partial<MessageFilter>) => {
      if (filter.searchText === undefined || isBlankSearch(filter.searchText)) return undefined
      const words = searchWords(filter.searchText)
      return words.length === 0 ? undefined : words
    }

    /**
     * `form`: how SQLite finds the matches (SqliteSearchPlan.ts); a count gathers them. PostgreSQL's planner picks
     * between the GIN index and a walk of a btree itself.
     */
    const messageConditions = (
      filter: Partial<MessageFilter>,
      form: SqliteSearchForm = "gather"
    ): Array<Statement.Fragment> => {
      const conditions: Array<Statement.Fragment> = []
      if (filter.userId !== undefined) conditions.push(sql`user_id = ${filter.userId}`)
      if (filter.channelId !== undefined) conditions.push(sql`channel_id = ${filter.channelId}`)
      if (filter.userId === undefined && filter.channelId === undefined) conditions.push(...wholeTable)
      if (filter.senderType !== undefined) conditions.push(sql`sender_type = ${filter.senderType}`)
      if (filter.startTime !== undefined) conditions.push(sql`timestamp >= ${filter.startTime}`)
      if (filter.endTime !== undefined) conditions.push(sql`timestamp <= ${filter.endTime}`)
      if (filter.searchText !== undefined && !isBlankSearch(filter.searchText)) {
        const words = searchWords(filter.searchText)
        if (words.length === 0) {
          // Nothing searchable (only punctuation, symbols or emoji): no message can match.
          conditions.push(sql.literal("1 = 0"))
        } else if (isPg) {
          // The words are folded in SQL by the function the index folds the text with, so they cannot disagree.
          conditions.push(sql`${sql.literal(pgSearchVector)} @@ messages_search_query(${words.join(" ")})`)
        } else {
          // FTS5 folds each word with the tokenizer the index was built with.
          conditions.push(searchCondition(sql, ftsMatch(words), form))
        }
      }
      return conditions
    }

    const getMessageById = (id: string) =>
      sql<DbRow>`SELECT ${sql.literal(messageColumns)} FROM messages WHERE id = ${id}`.pipe(
        Effect.flatMap((rows) => decodeFirst(rows, decoders.messages)),
        storeError("getMessageById")
      )

    const queryMessages = (filter: MessageFilter) =>
      Effect.gen(function* () {
        const limit = filter.limit ?? defaultLimit
        const offset = filter.offset ?? 0
        const words = isPg ? undefined : searchedWords(filter)
        const form =
          words === undefined
            ? undefined
            : yield* planSqliteSearch(
                sql,
                ftsMatch(words),
                limit + offset,
                filter.userId !== undefined || filter.channelId !== undefined
              )
        const rows = yield* sql<DbRow>`SELECT ${sql.literal(messageColumns)} FROM messages
          WHERE ${sql.and(messageConditions(filter, form))}
          ORDER BY timestamp DESC, id DESC LIMIT ${limit} OFFSET ${offset}`
        return yield* decodeAll(rows, decoders.messages)
      }).pipe(storeError("queryMessages"))

    const count = (statement: Statement.Statement<{ count: number | string }>, operation: string) =>
      statement.pipe(
        Effect.map((rows) => Number(rows[0]?.count ?? 0)),
        storeError(operation)
      )

    /** A count kept by the tally triggers: one row, absent while there is nothing to count. */
    const tallied = (tally: Tally, operation: string) =>
      count(
        sql`SELECT n AS count FROM row_tallies WHERE dimension = ${tally.dimension} AND key = ${tally.key}`,
        operation
      )

    const countMessages = (filter: MessageCountFilter) => {
      const tally = messageTally(filter)
      return tally !== undefined
        ? tallied(tally, "getMessageCount")
        : count(
            sql`SELECT COUNT(*) AS count FROM messages WHERE ${sql.and(messageConditions(filter))}`,
            "getMessageCount"
          )
    }

    const getQueryById = (id: string) =>
      sql<DbRow>`SELECT * FROM queries WHERE id = ${id}`.pipe(
        Effect.flatMap((rows) => decodeFirst(rows, decoders.queries)),
        storeError("getQueryById")
      )

    const recentQueries = (options: {
      readonly userId?: string | undefined
      readonly limit: number
      readonly offset: number
    }) =>
      sql<DbRow>`SELECT * FROM queries WHERE ${sql.and(
        options.userId === undefined ? wholeTable : [sql`user_id = ${options.userId}`]
      )} ORDER BY timestamp DESC, id DESC LIMIT ${options.limit} OFFSET ${options.offset}`.pipe(
        Effect.flatMap((rows) => decodeAll(rows, decoders.queries)),
        storeError("getRecentQueries")
      )

    const countQueries = (userId?: string) =>
      userId !== undefined
        ? tallied(queryTally(userId), "getQueryCount")
        : count(sql`SELECT COUNT(*) AS count FROM queries WHERE ${sql.and(wholeTable)}`, "getQueryCount")

    const getDocument = (id: string) =>
      sql<DbRow>`SELECT * FROM documents WHERE id = ${id}`.pipe(
        Effect.flatMap((rows) => decodeFirst(rows, decoders.documents)),
        storeError("getDocument")
      )

    const documentsOf = ({ createdBy, userId }: DocumentFilter) => {
      const conditions: Array<Statement.Fragment> = []
      if (createdBy !== undefined) conditions.push(sql`created_by = ${createdBy}`)
      else conditions.push(...wholeTable)
      if (userId !== undefined) {
        conditions.push(sql`(created_by = ${userId} OR EXISTS (SELECT 1 FROM document_collaborators c
          WHERE c.document_id = documents.id AND c.user_id = ${userId}))`)
      }
      return sql.and(conditions)
    }

    const listDocuments = (options: DocumentFilter & { readonly limit: number; readonly offset: number }) =>
      sql<DbRow>`SELECT * FROM documents WHERE ${documentsOf(options)}
        -- NULLS placement spelled out: SQLite and PostgreSQL disagree on the default.
        ORDER BY updated_at DESC NULLS LAST, id DESC LIMIT ${options.limit} OFFSET ${options.offset}`.pipe(
        Effect.flatMap((rows) => decodeAll(rows, decoders.documents)),
        storeError("listDocuments")
      )

    const countDocuments = (filter: DocumentFilter) =>
      count(sql`SELECT COUNT(*) AS count FROM documents WHERE ${documentsOf(filter)}`, "getDocumentCount")

    const getCollaborators = (documentId: string) =>
      sql<DbRow>`SELECT * FROM document_collaborators WHERE document_id = ${documentId}
        ORDER BY joined_at NULLS FIRST, id`.pipe(
        Effect.flatMap((rows) => decodeAll(rows, decoders.collaborators)),
        storeError("getDocumentCollaborators")
      )

    const hasDocumentAccess = (documentId: string, userId: string) =>
      sql`SELECT 1 AS ok FROM documents d WHERE d.id = ${documentId} AND (
            d.is_public = ${sql.literal(trueLiteral)} OR d.created_by = ${userId} OR EXISTS (
              SELECT 1 FROM document_collaborators c WHERE c.document_id = d.id AND c.user_id = ${userId}))`.pipe(
        Effect.map((rows) => rows.length > 0),
        storeError("hasDocumentAccess")
      )

    const getUserProfile = (userId: string) =>
      sql<DbRow>`SELECT * FROM user_profiles WHERE user_id = ${userId}`.pipe(
        Effect.flatMap((rows) => decodeFirst(rows, decoders.profiles)),
        storeError("getUserProfile")
      )

    // Equal interaction times (seconds): the newest profile first, then the newest id (time-ordered, F5). NULLS
    // placement spelled out: SQLite and PostgreSQL disagree on the default.
    const byLastInteraction = sql.literal("ORDER BY last_interaction_at DESC, created_at DESC NULLS LAST, id DESC")

    const usersNeedingAnalysis = (options: NeedingAnalysisOptions) =>
      sql<DbRow>`SELECT * FROM user_profiles
        WHERE (last_analyzed_at IS NULL OR last_analyzed_at < last_interaction_at)
          AND COALESCE(message_count, 0) >= ${options.minMessages}
        ${byLastInteraction} LIMIT ${options.limit}`.pipe(
        Effect.flatMap((rows) => decodeAll(rows, decoders.profiles)),
        storeError("getUsersNeedingAnalysis")
      )

    const allUserProfiles = (options: { limit: number; offset: number }) =>
      sql<DbRow>`SELECT * FROM user_profiles ${byLastInteraction} LIMIT ${options.limit} OFFSET ${options.offset}`.pipe(
        Effect.flatMap((rows) => decodeAll(rows, decoders.profiles)),
        storeError("getAllUserProfiles")
      )

    const analysisHistory = (userId: string, limit: number) =>
      sql<DbRow>`SELECT * FROM user_analysis_history WHERE user_id = ${userId}
        ORDER BY analysis_timestamp DESC, id DESC LIMIT ${limit}`.pipe(
        Effect.flatMap((rows) => decodeAll(rows, decoders.history)),
        storeError("getAnalysisHistory")
      )

    const store: DatabaseStore = {
      backend,
      apply,
      getMessageById,
      queryMessages,
      countMessages,
      getQueryById,
      recentQueries,
      countQueries,
      getDocument,
      listDocuments,
      countDocuments,
      getCollaborators,
      hasDocumentAccess,
      getUserProfile,
      usersNeedingAnalysis,
      allUserProfiles,
      analysisHistory,
      // The shadow path's seam: transactions, replica batches, the outbox and the applied position.
      ...storeReplication(sql, backend, apply)
    }
    return store
  })

const describeCause = (cause: SqlError.SqlError): string => {
  const inner = cause.cause
  if (inner instanceof Error && inner.message) return inner.message
  return cause.message
}
