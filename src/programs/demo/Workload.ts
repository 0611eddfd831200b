/**
 * The stream of writes the demo sends through the four services while a mode is on: simulated users writing at
 * the same time, each its own sequence (a profile, a document, then messages, tool runs, queries, counts,
 * profile updates, edits, collaborators, analyses), plus counts on legacy users that were migrated, as the bot
 * does when an old user speaks again. Optionally each message is read back at once (read-your-writes).
 * It records what it wrote, so a later phase can check that all of it is still there.
 */
import { Duration, Effect, Option } from "effect"
import { DocumentService } from "../../runtime/services/DocumentService.js"
import { MessageService } from "../../runtime/services/MessageService.js"
import { QueryService } from "../../runtime/services/QueryService.js"
import { UserProfileService } from "../../runtime/services/UserProfileService.js"
import { type LatencySummary, summarizeLatency } from "./Latency.js"

export interface WorkloadOptions {
  /** Names this run's users and content, so phases never collide. */
  readonly label: string
  readonly writes: number
  /** Users writing at the same time. */
  readonly concurrency: number
  /** Migrated users whose message counts are bumped now and then. */
  readonly legacyUsers: ReadonlyArray<string>
  /** Read each message back right after writing it, and look for it in the user's timeline. */
  readonly readYourWrites: boolean
}

/** What a run wrote, to look for later. */
export interface Written {
  readonly messages: ReadonlyArray<string>
  readonly queries: ReadonlyArray<string>
  /** Document id and its last content. */
  readonly documents: ReadonlyArray<{ readonly id: string; readonly content: string }>
  /** User id and the message count its last increment returned. */
  readonly users: ReadonlyArray<{ readonly userId: string; readonly messageCount: number }>
}

export interface WorkloadResult {
  /** Simulated users that wrote at the same time. */
  readonly users: number
  readonly writes: number
  /** Writes the services refused or that failed (none expected). */
  readonly failed: number
  readonly firstError: string | null
  readonly seconds: number
  readonly writeLatency: LatencySummary
  readonly byKind: Readonly<Record<string, number>>
  readonly reads: {
    readonly checks: number
    /** Reads that did not see the write just made. */
    readonly missed: number
    readonly latency: LatencySummary
  }
  readonly written: Written
}

/** Every user repeats this cycle after creating its profile and document: mostly messages, as in the bot. */
const cycle = [
  "human",
  "ai",
  "tool",
  "human",
  "query",
  "increment",
  "human",
  "ai",
  "profile",
  "document",
  "human",
  "collaborator",
  "legacy",
  "human",
  "ai",
  "analysis",
  "increment",
  "human",
  "query",
  "tool"
] as const

type Kind = (typeof cycle)[number] | "create-profile" | "create-document"

const words = ["pizza", "deploy", "tonight", "server", "question", "emoji", "thread", "bug", "reply", "music"]

export const runWorkload = (options: WorkloadOptions) =>
  Effect.gen(function* () {
    const messages = yield* MessageService
    const queries = yield* QueryService
    const documents = yield* DocumentService
    const profiles = yield* UserProfileService

    const writeMs: Array<number> = []
    const readMs: Array<number> = []
    const byKind: Record<string, number> = {}
    const written = {
      messages: [] as Array<string>,
      queries: [] as Array<string>,
      documents: new Map<string, string>(),
      users: new Map<string, number>()
    }
    let failed = 0
    let firstError: string | null = null
    let readChecks = 0
    let readMisses = 0

    const timed = <A, E>(into: Array<number>, effect: Effect.Effect<A, E>) =>
      Effect.map(Effect.timed(effect), ([duration, a]) => {
        into.push(Duration.toMillis(duration))
        return a
      })

    /** One write, timed and counted; a failure is counted, not fatal, so the figures show it. */
    const write = <A, E extends { readonly message: string }>(kind: Kind, effect: Effect.Effect<A, E>) =>
      timed(writeMs, effect).pipe(
        Effect.tap(() => Effect.sync(() => (byKind[kind] = (byKind[kind] ?? 0) + 1))),
        Effect.map(Option.some),
        Effect.catchAll((error) =>
          Effect.sync(() => {
            failed++
            firstError ??= `${kind}: ${error.message}`
            return Option.none<A>()
          })
        )
      )

    const readBack = (userId: string, messageId: string) =>
      Effect.gen(function* () {
        readChecks++
        const byId = yield* timed(readMs, messages.getMessageById(messageId))
        const timeline = yield* timed(readMs, messages.queryMessages({ userId, limit: 5 }))
        if (Option.isNone(byId) || !timeline.some((m) => m.id === messageId)) readMisses++
      }).pipe(
        Effect.catchAll((error) =>
          Effect.sync(() => {
            readMisses++
            firstError ??= `read: ${error.message}`
          })
        )
      )

    const user = (u: number, count: number) =>
      Effect.gen(function* () {
        const userId = `demo-${options.label}-user-${u}`
        const username = `Demo ${options.label} ${u}`
        const channelId = `demo-channel-${u % 4}`
        let left = count
        const created = yield* write("create-profile", profiles.createUserProfile({ userId, username }))
        left--
        if (Option.isSome(created)) written.users.set(userId, 0)
        if (left <= 0) return
        const doc = yield* write(
          "create-document",
          documents.createDocument({ title: `Notes of ${username}`, createdBy: userId, metadata: { demo: true } })
        )
        left--
        if (Option.isSome(doc)) written.documents.set(doc.value.id, doc.value.content ?? "")
        for (let step = 0; left > 0; step++, left--) {
          // The bot's events arrive from the network, each in a task of its own, so the event loop turns between
          // them and the shadow's applier gets its I/O in. Writes back to back in microtasks would starve it
          // (they still reach the shadow, from the outbox, once the burst ends; see test/modes/Starvation.test.ts).
          yield* Effect.sleep(Duration.millis(1))
          // Each user starts at another point of the cycle, so even a short run makes every kind of write.
          const kind = cycle[(step + u * 7) % cycle.length]!
          const word = words[(u + step) % words.length]!
          switch (kind) {
            case "human": {
              const saved = yield* write(
                kind,
                messages.saveHumanMessage({
                  userId,
                  username,
                  channelId,
                  content: `${word} ${step} from ${username}`,
                  metadata: { step, demo: options.label }
                })
              )
              if (Option.isSome(saved)) {
                written.messages.push(saved.value.id)
                if (options.readYourWrites) yield* readBack(userId, saved.value.id)
              }
              break
            }
            case "ai": {
              const saved = yield* write(
                kind,
                messages.saveAIMessage({ userId, channelId, content: `about ${word}: here is what I found` })
              )
              if (Option.isSome(saved)) written.messages.push(saved.value.id)
              break
            }
            case "tool": {
              const saved = yield* write(
                kind,
                messages.saveToolExecution({ toolName: "search", toolArgs: { q: word }, toolResult: [step], userId })
              )
              if (Option.isSome(saved)) written.messages.push(saved.value.id)
              break
            }
            case "query": {
              const saved = yield* write(
                kind,
                queries.saveQuery({ userId, username, queryText: `how many ${word}?`, resultCount: step })
              )
              if (Option.isSome(saved)) written.queries.push(saved.value.id)
              break
            }
            case "increment": {
              const countNow = yield* write(kind, profiles.incrementMessageCount(userId))
              if (Option.isSome(countNow)) written.users.set(userId, countNow.value)
              break
            }
            case "profile":
              yield* write(kind, profiles.updateUserProfile(userId, { dominant_archetype: word, openness_score: step }))
              break
            case "document":
              if (Option.isSome(doc)) {
                const content = `draft ${step}: ${word}`
                const done = yield* write(kind, documents.updateDocumentContent(doc.value.id, content))
                if (Option.isSome(done)) written.documents.set(doc.value.id, content)
              } else left++
              break
            case "collaborator":
              if (Option.isSome(doc)) {
                yield* write(
                  kind,
                  documents.addCollaborator({
                    documentId: doc.value.id,
                    userId: `demo-friend-${step % 3}`,
                    role: "editor"
                  })
                )
              } else left++
              break
            case "legacy": {
              const legacy = options.legacyUsers[(u + step) % Math.max(1, options.legacyUsers.length)]
              if (legacy !== undefined) yield* write(kind, profiles.incrementMessageCount(legacy))
              else left++
              break
            }
            case "analysis":
              yield* write(
                kind,
                profiles.saveAnalysisHistory({ userId, changesSummary: `step ${step}`, feelingsSnapshot: { word } })
              )
              break
          }
        }
      })

    const users = Math.max(1, Math.min(options.concurrency, Math.floor(options.writes / 2)))
    const share = (u: number) => Math.floor(options.writes / users) + (u < options.writes % users ? 1 : 0)
    const [duration] = yield* Effect.timed(
      Effect.forEach(
        Array.from({ length: users }, (_, u) => u),
        (u) => user(u, share(u)),
        { concurrency: "unbounded", discard: true }
      )
    )
    const result: WorkloadResult = {
      users,
      writes: writeMs.length,
      failed,
      firstError,
      seconds: Duration.toMillis(duration) / 1000,
      writeLatency: summarizeLatency(writeMs),
      byKind,
      reads: { checks: readChecks, missed: readMisses, latency: summarizeLatency(readMs) },
      written: {
        messages: written.messages,
        queries: written.queries,
        documents: [...written.documents].map(([id, content]) => ({ id, content })),
        users: [...written.users].map(([userId, messageCount]) => ({ userId, messageCount }))
      }
    }
    return result
  })
