/**
 * Deterministic generator of *legacy* SQLite databases (the bot's production schema, see LegacySchema.ts), used
 * by tests, the benchmark and the demo.
 *
 * Rows come from a seeded mulberry32 PRNG and are streamed into the database in batched transactions with
 * prepared multi-row INSERTs, so memory stays flat whatever the size. The indexes, the FTS5 table and the legacy
 * triggers are created right after the load (see schemaPhases) and messages_fts is built from the loaded rows,
 * which is exactly what the legacy insert trigger would have indexed. With `quirks: true` a handful of the
 * anomalies documented in the schema (invalid JSON, U+0000, wrong storage classes, NULL booleans, orphan rows, a
 * stale FTS index) are planted at deterministic places and listed in the summary. With `affinityNumbers: true`
 * some profiles hold the numbers the bot's analysis writes into INTEGER columns (24.5, '80'), as SQLite stores them.
 */
import Database from "better-sqlite3"
import { Data, Effect, Exit, type Scope } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { legacySchemaSql, legacySchemaSqlEarly } from "../runtime/schema/LegacySchema.js"

// ---------------------------------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------------------------------

export class LegacyGeneratorError extends Data.TaggedError("LegacyGeneratorError")<{
  readonly message: string
  readonly cause: unknown
}> {}

export type LegacySchemaForm = "full" | "early"

export interface LegacyGeneratorOptions {
  /** File to create; the generator refuses to overwrite an existing path. Missing parent directories are created. */
  readonly path: string
  /** "full": current production schema; "early": user_profiles without the 18 late columns. */
  readonly form: LegacySchemaForm
  /** Number of messages (N); the other tables are sized from it. */
  readonly messages: number
  /** PRNG seed, default 42. Same options, same rows. */
  readonly seed?: number
  /** Plant the documented data anomalies (default false). */
  readonly quirks?: boolean
  /**
   * Write numbers into INTEGER profile columns as the bot's analysis does (default false): fractional scores such
   * as 24.5, and numeric text such as '80' or ' 80 ', which SQLite's type affinity stores as the number. Every
   * such cell loads into PostgreSQL unchanged, so this case has no rejects of its own (unlike `quirks`). Drawn
   * from a PRNG stream of its own: every other value is the same with or without it.
   */
  readonly affinityNumbers?: boolean
  /**
   * Activity as skewed as a real server's (default false: uniform): message and query authors and document
   * creators follow Zipf's law with exponent 0.8 (a few heavy users, a long tail of light ones), channels with
   * exponent 1 (a few busy ones), and the words of messages with exponent 1 over the vocabulary, which is listed
   * roughly by English frequency ("the" in about two messages of three, the last words in a few hundredths of a
   * percent). Read benchmarks need this: with uniform draws every user, channel and word is alike. The same PRNG
   * draws are made either way, mapped through another distribution.
   */
  readonly skewed?: boolean
}

export type LegacyTableName =
  "messages" | "queries" | "documents" | "document_collaborators" | "user_profiles" | "user_analysis_history"

export type LegacyQuirkKind =
  | "invalid_json"
  | "nul_character"
  | "real_in_integer_column"
  /** Text SQLite's type affinity turned into a number on insert (the file holds the number, not the text). */
  | "numeric_text_in_integer_column"
  | "empty_text_in_numeric_column"
  | "null_boolean"
  | "orphan_row"
  | "fts_stale_after_update"
  | "fts_stale_after_delete"

/** One planted anomaly: the cell `table.column` of the row whose primary key is `id`. */
export interface LegacyQuirk {
  readonly table: LegacyTableName
  readonly id: string
  readonly column: string
  readonly kind: LegacyQuirkKind
  /** Human-readable description of what was planted. */
  readonly detail: string
}

/** A message whose FTS entry went stale through the legacy triggers. */
export interface LegacyStaleFtsEntry {
  readonly id: string
  readonly rowid: number
  readonly action: "update" | "delete"
  /** Words that `messages_fts MATCH` still finds at `rowid` although the row no longer contains them. */
  readonly staleTerms: ReadonlyArray<string>
  /** Content after the UPDATE, null for a deleted row. */
  readonly currentContent: string | null
}

export interface LegacyDatabaseSummary {
  readonly path: string
  readonly form: LegacySchemaForm
  readonly seed: number
  /** Rows present in each table at the end (SELECT COUNT(*)), orphans included. */
  readonly counts: Readonly<Record<LegacyTableName, number>>
  /** Planted anomalies, empty unless `quirks: true` (or `affinityNumbers: true`, which lists its numbers here). */
  readonly quirks: ReadonlyArray<LegacyQuirk>
  /** Stale FTS details (also listed in `quirks`), empty unless `quirks: true`. */
  readonly staleFts: ReadonlyArray<LegacyStaleFtsEntry>
}

/** mulberry32: a tiny, fast 32-bit seeded PRNG returning floats in [0, 1). */
export const mulberry32 = (seed: number): (() => number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Vocabulary and fixed pools
// ---------------------------------------------------------------------------------------------------------------------

/** About 500 distinct English words (the message and text material, so full-text search has something to find). */
const vocabulary: ReadonlyArray<string> = Array.from(
  new Set(
    [
      "the be to of and a in that have it for not on with he as you do at this but his by from they we say her she or",
      "an will my one all would there their what so up out if about who get which go me when make can like time no",
      "just him know take people into year your good some could them see other than then now look only come its over",
      "think also back after use two how our work first well way even new want because any these give day most us",
      "is was are been has had were said did made find where long down should call world school still try last ask",
      "need feel three state never become between high really something another family own leave put old while mean",
      "keep student why let great same big group begin seem country help talk turn problem every start hand might",
      "american show part against place such again few case week company system each right program hear question",
      "during play government run small number off always move night live point believe hold today bring happen",
      "next without before large million must home under water room write mother area national money story young",
      "fact month different lot study book eye job word though business issue side kind four head far black long",
      "both little house yes since provide service around friend important father sit away until power hour game",
      "often yet line political end among ever stand bad lose however member pay law meet car city almost include",
      "continue set later community much name five once white least president learn real change team minute best",
      "several idea kid body information nothing ago lead social understand whether watch together follow parent",
      "stop face anything create public already speak others read level allow add office spend door health person",
      "art sure war history party within grow result open morning walk reason low win research girl guy early food",
      "moment himself air teacher force offer enough education across although remember foot second boy maybe toward",
      "able age policy everything love process music including consider appear actually buy probably human wait serve",
      "market die send expect sense build stay fall oh nation plan cut college interest death course someone",
      "experience behind reach local kill six remain effect yeah suggest class control raise care perhaps late hard",
      "field else pass former sell major sometimes require along development themselves report role better economic",
      "effort decide rate strong possible heart drug leader light voice wife whole police mind finally pull return",
      "free military price less according decision explain son hope develop view relationship carry town road drive",
      "arm true federal break difference thank receive value international building action full model join season",
      "society tax director position player agree especially record pick wear paper special space ground form support",
      "database query server bot channel emoji thread reply mention upload profile avatar server deploy bug fix"
    ]
      .join(" ")
      .split(" ")
  )
)

const unicodeWords: ReadonlyArray<string> = [
  "café",
  "日本語",
  "🎉",
  "naïve",
  "Zürich",
  "señor",
  "Привет",
  "😀",
  "👍",
  "über",
  "façade",
  "北京",
  "🚀",
  "mañana",
  "Ελληνικά",
  "❤️"
]

const senderTypes = ["human", "ai", "tool"] as const
const toolNames = ["search_messages", "run_query", "create_document", "get_user_profile", "web_search", "summarize"]
const interactionTypes = ["question", "chat", "command", "feedback", "greeting", "banter"]
const userIntents = ["ask_help", "share_info", "joke", "request_query", "small_talk", "complain"]
const qualityLevels = ["low", "medium", "high"]
const sentimentLabels = ["positive", "neutral", "negative", "mixed"]
const complexities = ["simple", "moderate", "complex"]
const satisfactions = ["satisfied", "neutral", "unsatisfied"]
const roles = ["editor", "viewer", "owner"]
const channelTopics = ["general", "random", "help", "dev", "music", "gaming", "memes", "art", "off-topic", "news"]
const zodiacSigns = ["aries", "taurus", "gemini", "cancer", "leo", "virgo", "libra", "scorpio", "sagittarius"]
const zodiacElements = ["fire", "earth", "air", "water"]
const zodiacModalities = ["cardinal", "fixed", "mutable"]
const moods = ["curious", "playful", "calm", "frustrated", "excited", "tired", "warm", "guarded"]

const CHANNELS = 50
const START_MS = Date.UTC(2023, 0, 1)
const SPAN_MS = 540 * 86_400_000
const START_S = START_MS / 1000
const SPAN_S = SPAN_MS / 1000
const BATCH_ROWS = 10_000
const DEFAULT_SEED = 42

/** user_profiles JSON columns holding lists (the others hold objects). */
const profileJsonArrays: ReadonlySet<string> = new Set([
  "secondary_archetypes",
  "primary_interests",
  "expertise_areas",
  "notable_patterns",
  "dominant_emotions",
  "cultural_values",
  "predicted_behaviors",
  "distinctive_features",
  "accessories"
])
const profileJsonObjects: ReadonlySet<string> = new Set([
  "feelings_json",
  "personality_facets",
  "uploaded_photo_metadata",
  "world_model_adjustments",
  "personal_model_adjustments"
])

// ---------------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------------

type Rng = () => number

const fail = (message: string, cause: unknown = undefined) => new LegacyGeneratorError({ message, cause })

const attempt = <A>(what: string, f: () => A): Effect.Effect<A, LegacyGeneratorError> =>
  Effect.try({
    try: f,
    catch: (cause) => fail(`${what}: ${cause instanceof Error ? cause.message : String(cause)}`, cause)
  })

const int = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1))
const pick = <A>(rng: Rng, items: ReadonlyArray<A>): A => items[Math.floor(rng() * items.length)] as A

/** Maps one uniform draw in [0, 1) to an index in [0, count). */
type Draw = (u: number) => number

const uniformDraw =
  (count: number): Draw =>
  (u) =>
    Math.floor(u * count)

/** Zipf's law over [0, count): index k with weight 1 / (k + 1)^exponent, by binary search of the cumulative weights. */
const zipfDraw = (count: number, exponent: number): Draw => {
  const cumulative = new Float64Array(count)
  let total = 0
  for (let k = 0; k < count; k++) cumulative[k] = total += 1 / Math.pow(k + 1, exponent)
  return (u) => {
    const target = u * total
    let [lo, hi] = [0, count - 1]
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (cumulative[mid]! > target) hi = mid
      else lo = mid + 1
    }
    return lo
  }
}

/** Who writes, where, and which words: the draws the `skewed` option changes. */
interface Shape {
  readonly user: Draw
  readonly channel: Draw
  readonly word: Draw
}

const shapeOf = (sizes: { readonly users: number }, skewed: boolean): Shape =>
  skewed
    ? { user: zipfDraw(sizes.users, 0.8), channel: zipfDraw(CHANNELS, 1), word: zipfDraw(vocabulary.length, 1) }
    : { user: uniformDraw(sizes.users), channel: uniformDraw(CHANNELS), word: uniformDraw(vocabulary.length) }

const uniformWord = uniformDraw(vocabulary.length)
const word = (rng: Rng, draw: Draw = uniformWord): string => vocabulary[draw(rng())] as string
const words = (rng: Rng, min: number, max: number, draw: Draw = uniformWord): string => {
  let text = word(rng, draw)
  for (let n = int(rng, min, max) - 1; n > 0; n--) text += " " + word(rng, draw)
  return text
}
const round2 = (x: number): number => Math.round(x * 100) / 100
const round3 = (x: number): number => Math.round(x * 1000) / 1000

const userId = (n: number): string => `user-${n}`
const usernameOf = (n: number): string =>
  `${vocabulary[n % vocabulary.length]}_${vocabulary[(n * 7 + 3) % vocabulary.length]}${n}`
const channelName = (c: number): string =>
  c < channelTopics.length ? (channelTopics[c] as string) : `${channelTopics[c % channelTopics.length]}-${c}`

/** Up to `k` distinct integers from [1, count] not in `used` (which is updated), sorted. */
const pickDistinct = (rng: Rng, count: number, k: number, used: Set<number>): ReadonlyArray<number> => {
  const chosen: Array<number> = []
  const wanted = Math.max(0, Math.min(k, count - used.size))
  while (chosen.length < wanted) {
    const n = int(rng, 1, count)
    if (!used.has(n)) {
      used.add(n)
      chosen.push(n)
    }
  }
  return chosen.sort((a, b) => a - b)
}

type SqlValue = string | number | null

/** Buffers rows and inserts them with multi-row INSERT statements (hundreds of rows per statement execution). */
interface RowWriter {
  readonly add: (row: ReadonlyArray<SqlValue>) => void
  readonly flush: () => void
}

/** Bound parameters per statement, well under SQLite's default SQLITE_MAX_VARIABLE_NUMBER (32766). */
const MAX_PARAMS = 16_000

const rowWriter = (db: Database.Database, table: string, columns: ReadonlyArray<string>): RowWriter => {
  const width = columns.length
  const perStatement = Math.max(1, Math.min(500, Math.floor(MAX_PARAMS / width)))
  const tuple = `(${columns.map(() => "?").join(", ")})`
  const sql = (rows: number): string =>
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${Array.from({ length: rows }, () => tuple).join(", ")}`
  const full = db.prepare(sql(perStatement))
  const params: Array<SqlValue> = new Array<SqlValue>(perStatement * width).fill(null)
  let used = 0
  return {
    add: (row) => {
      for (const value of row) params[used++] = value
      if (used === params.length) {
        // Spread arguments bind about a third faster than one array argument in better-sqlite3.
        full.run(...params)
        used = 0
      }
    },
    flush: () => {
      if (used > 0) {
        db.prepare(sql(used / width)).run(...params.slice(0, used))
        used = 0
      }
    }
  }
}

/**
 * Lets the event loop turn (signals, timers) between batches. Effect's own yields are microtasks, during which a
 * SIGINT handler (NodeRuntime.runMain) cannot run: without this, a long load would not be interruptible.
 */
const yieldToEventLoop: Effect.Effect<void> = Effect.async<void>((resume) => {
  const handle = setImmediate(() => resume(Effect.void))
  return Effect.sync(() => clearImmediate(handle))
})

/**
 * Runs `write(from, to)` over [1, total] in batched transactions, flushing `writers` before each commit. Each batch
 * is its own Effect step, so the program can be interrupted between batches (and then deletes the partial file).
 */
const inBatches = (
  db: Database.Database,
  what: string,
  total: number,
  writers: ReadonlyArray<RowWriter>,
  write: (from: number, to: number) => void
): Effect.Effect<void, LegacyGeneratorError> =>
  Effect.gen(function* () {
    const tx = db.transaction((from: number, to: number) => {
      write(from, to)
      for (const writer of writers) writer.flush()
    })
    for (let from = 1; from <= total; from += BATCH_ROWS) {
      const to = Math.min(total, from + BATCH_ROWS - 1)
      yield* attempt(`insert ${what} ${from}..${to}`, () => tx(from, to))
      yield* yieldToEventLoop
    }
  })

interface ColumnDef {
  readonly name: string
  readonly type: "TEXT" | "INTEGER" | "REAL"
  readonly notNull: boolean
}

/** Column definitions of CREATE TABLE user_profiles in the given schema text. */
const profileColumns = (schema: string): ReadonlyArray<ColumnDef> => {
  const body = /CREATE TABLE user_profiles \(\n([\s\S]*?)\n\);/.exec(schema)?.[1] ?? ""
  const columns: Array<ColumnDef> = []
  for (const line of body.split("\n")) {
    const m = /^ {2}([a-z_]+) (TEXT|INTEGER|REAL)(.*)$/.exec(line)
    if (m !== null) {
      columns.push({
        name: m[1] as string,
        type: m[2] as ColumnDef["type"],
        notNull: (m[3] as string).includes("NOT NULL")
      })
    }
  }
  return columns
}

// ---------------------------------------------------------------------------------------------------------------------
// Quirk plan: where the anomalies go, drawn from a PRNG stream of its own
// ---------------------------------------------------------------------------------------------------------------------

interface Sizes {
  readonly messages: number
  readonly insertedMessages: number
  readonly users: number
  readonly queries: number
  readonly documents: number
  readonly profiles: number
  readonly history: number
}

interface QuirkPlan {
  readonly messageNul: ReadonlySet<number>
  readonly messageRealCreatedAt: ReadonlySet<number>
  readonly ftsUpdate: ReadonlyArray<number>
  readonly ftsDelete: ReadonlyArray<number>
  readonly queryRawResult: ReadonlySet<number>
  readonly queryEmptyExecTime: ReadonlySet<number>
  readonly documentNullPublic: ReadonlySet<number>
  readonly profileRealOpenness: ReadonlySet<number>
  readonly profileNulText: ReadonlySet<number>
  readonly historyFreeFeelings: ReadonlySet<number>
  readonly historyFreePersonality: ReadonlySet<number>
  readonly orphanCollaborators: number
  readonly orphanHistory: number
}

const FTS_UPDATES = 2
const FTS_DELETES = 2

const planQuirks = (seed: number, sizes: Sizes, enabled: boolean): QuirkPlan => {
  const rng = mulberry32(seed ^ 0x5eed_c0de)
  const none = new Set<number>()
  if (!enabled) {
    return {
      messageNul: none,
      messageRealCreatedAt: none,
      ftsUpdate: [],
      ftsDelete: [],
      queryRawResult: none,
      queryEmptyExecTime: none,
      documentNullPublic: none,
      profileRealOpenness: none,
      profileNulText: none,
      historyFreeFeelings: none,
      historyFreePersonality: none,
      orphanCollaborators: 0,
      orphanHistory: 0
    }
  }
  const usedMessages = new Set<number>()
  const usedQueries = new Set<number>()
  const usedDocuments = new Set<number>()
  const usedProfiles = new Set<number>()
  const usedHistory = new Set<number>()
  const m = sizes.insertedMessages
  return {
    ftsDelete: pickDistinct(rng, m, FTS_DELETES, usedMessages),
    ftsUpdate: pickDistinct(rng, m, FTS_UPDATES, usedMessages),
    messageNul: new Set(pickDistinct(rng, m, 5, usedMessages)),
    messageRealCreatedAt: new Set(pickDistinct(rng, m, 3, usedMessages)),
    queryRawResult: new Set(pickDistinct(rng, sizes.queries, 5, usedQueries)),
    queryEmptyExecTime: new Set(pickDistinct(rng, sizes.queries, 5, usedQueries)),
    documentNullPublic: new Set(pickDistinct(rng, sizes.documents, 5, usedDocuments)),
    profileRealOpenness: new Set(pickDistinct(rng, sizes.profiles, 2, usedProfiles)),
    profileNulText: new Set(pickDistinct(rng, sizes.profiles, 1, usedProfiles)),
    historyFreeFeelings: new Set(pickDistinct(rng, sizes.history, 3, usedHistory)),
    historyFreePersonality: new Set(pickDistinct(rng, sizes.history, 2, usedHistory)),
    orphanCollaborators: 5,
    orphanHistory: 5
  }
}

/**
 * Where the bot's own numbers go (`affinityNumbers`): about 2% of the profiles each get fractional scores, and
 * another 2% numeric text, as in a production database where 83 of 4,750 profiles held a fractional score. The
 * values come from `rng`, a stream of its own, so the rest of the database does not depend on this option.
 */
interface AffinityPlan {
  readonly rng: Rng
  readonly fractional: ReadonlySet<number>
  readonly numericText: ReadonlySet<number>
}

const planAffinity = (seed: number, sizes: Sizes, enabled: boolean): AffinityPlan => {
  const rng = mulberry32(seed ^ 0x0aff_1417)
  if (!enabled) return { rng, fractional: new Set(), numericText: new Set() }
  const used = new Set<number>()
  const each = Math.max(3, Math.round(sizes.profiles * 0.02))
  return {
    rng,
    fractional: new Set(pickDistinct(rng, sizes.profiles, each, used)),
    numericText: new Set(pickDistinct(rng, sizes.profiles, each, used))
  }
}

/** Numeric text in the spellings SQLite's affinity accepts, and the number it stores for each. */
const numericTexts = (v: number): ReadonlyArray<readonly [text: string, stored: number]> => [
  [`${v}`, v],
  [` ${v} `, v],
  [`${v}.0`, v],
  [`+${v}`, v],
  [`${v}e0`, v],
  [`\t${v}\n`, v],
  [`${v}.5`, v + 0.5]
]

// ---------------------------------------------------------------------------------------------------------------------
// Table writers
// ---------------------------------------------------------------------------------------------------------------------

const randomJsonObject = (rng: Rng): string =>
  JSON.stringify({ [word(rng)]: round3(rng()), [word(rng)]: word(rng), weight: int(rng, 0, 100) })
const randomJsonArray = (rng: Rng): string => {
  const items: Array<string> = []
  for (let n = int(rng, 1, 4); n > 0; n--) items.push(word(rng))
  return JSON.stringify(items)
}

const insertMessages = (
  db: Database.Database,
  rng: Rng,
  sizes: Sizes,
  shape: Shape,
  plan: QuirkPlan,
  quirks: Array<LegacyQuirk>
): Effect.Effect<void, LegacyGeneratorError> => {
  const writer = rowWriter(db, "messages", [
    "id",
    "timestamp",
    "sender_type",
    "user_id",
    "username",
    "channel_id",
    "channel_name",
    "guild_id",
    "message_content",
    "tool_name",
    "tool_args",
    "tool_result",
    "session_id",
    "parent_message_id",
    "metadata",
    "ai_summary",
    "sentiment_analysis",
    "response_decision",
    "interaction_type",
    "user_intent",
    "bot_perception",
    "conversation_quality",
    "created_at"
  ])
  const maxGap = Math.max(2, Math.floor((2 * SPAN_MS) / Math.max(1, sizes.insertedMessages)))
  let timestamp = START_MS
  let user = 0
  let channel = 0
  let session = 0
  return inBatches(db, "messages", sizes.insertedMessages, [writer], (from, to) => {
    for (let n = from; n <= to; n++) {
      timestamp += 1 + Math.floor(rng() * maxGap)
      const sender = senderTypes[(n - 1) % 3] as (typeof senderTypes)[number]
      if (sender === "human") {
        user = shape.user(rng())
        channel = shape.channel(rng())
        if (rng() < 0.15) session++
      }
      let content = words(rng, 3, 12, shape.word)
      if (rng() < 0.04) content += " " + pick(rng, unicodeWords)
      if (sender === "human" && rng() < 0.3) content += rng() < 0.5 ? "?" : "!"
      const id = `msg-${n}`
      let toolName: string | null = null
      let toolArgs: string | null = null
      let toolResult: string | null = null
      if (sender === "tool") {
        toolName = pick(rng, toolNames)
        toolArgs = rng() < 0.9 ? JSON.stringify({ query: words(rng, 1, 3), limit: int(rng, 1, 50) }) : null
        toolResult =
          rng() < 0.85 ? JSON.stringify({ ok: rng() < 0.95, count: int(rng, 0, 40), items: [word(rng)] }) : null
        content = `${toolName}: ${content}`
      }
      const metadata =
        rng() < 0.7 ? JSON.stringify({ source: "discord", edited: rng() < 0.05, attachments: int(rng, 0, 2) }) : null
      const human = sender === "human"
      const sentiment =
        human && rng() < 0.5 ? JSON.stringify({ label: pick(rng, sentimentLabels), score: round3(rng()) }) : null
      const decision =
        human && rng() < 0.3 ? JSON.stringify({ respond: rng() < 0.7, reason: pick(rng, interactionTypes) }) : null
      const aiSummary = sender === "ai" && rng() < 0.3 ? words(rng, 4, 10) : null
      const createdAt = Math.floor(timestamp / 1000)
      if (plan.messageNul.has(n)) {
        const space = content.indexOf(" ")
        content = `${content.slice(0, space)}\u0000${content.slice(space + 1)}`
        quirks.push({ table: "messages", id, column: "message_content", kind: "nul_character", detail: "U+0000" })
      }
      let createdAtValue = createdAt
      if (plan.messageRealCreatedAt.has(n)) {
        createdAtValue = createdAt + 0.5
        quirks.push({
          table: "messages",
          id,
          column: "created_at",
          kind: "real_in_integer_column",
          detail: `REAL ${createdAtValue}`
        })
      }
      writer.add([
        id,
        timestamp,
        sender,
        userId(user),
        sender === "ai" ? "Omega" : sender === "tool" && rng() < 0.5 ? null : usernameOf(user),
        `chan-${channel}`,
        channelName(channel),
        `guild-${(channel % 3) + 1}`,
        content,
        toolName,
        toolArgs,
        toolResult,
        `session-${session}`,
        human ? null : `msg-${n - 1}`,
        metadata,
        aiSummary,
        sentiment,
        decision,
        human && rng() < 0.6 ? pick(rng, interactionTypes) : null,
        human && rng() < 0.4 ? pick(rng, userIntents) : null,
        human && rng() < 0.2 ? words(rng, 3, 8) : null,
        rng() < 0.25 ? pick(rng, qualityLevels) : null,
        createdAtValue
      ])
    }
  })
}

const insertQueries = (
  db: Database.Database,
  rng: Rng,
  sizes: Sizes,
  shape: Shape,
  plan: QuirkPlan,
  quirks: Array<LegacyQuirk>
): Effect.Effect<void, LegacyGeneratorError> => {
  const writer = rowWriter(db, "queries", [
    "id",
    "timestamp",
    "user_id",
    "username",
    "query_text",
    "translated_sql",
    "ai_summary",
    "query_result",
    "result_count",
    "error",
    "execution_time_ms",
    "sentiment_analysis",
    "query_complexity",
    "user_satisfaction",
    "created_at"
  ])
  const maxGap = Math.max(2, Math.floor((2 * SPAN_MS) / Math.max(1, sizes.queries)))
  let timestamp = START_MS
  return inBatches(db, "queries", sizes.queries, [writer], (from, to) => {
    for (let n = from; n <= to; n++) {
      timestamp += 1 + Math.floor(rng() * maxGap)
      const id = `query-${n}`
      const user = shape.user(rng())
      const term = word(rng)
      const failed = rng() < 0.05
      const resultCount = failed ? 0 : int(rng, 0, 25)
      let queryResult: string | null = null
      if (!failed && rng() < 0.8) {
        const rows: Array<{ id: string; content: string }> = []
        for (let r = Math.min(resultCount, 3); r > 0; r--) {
          rows.push({ id: `msg-${int(rng, 1, sizes.messages)}`, content: words(rng, 2, 6) })
        }
        queryResult = JSON.stringify(rows)
      }
      let executionTime: number | string = int(rng, 1, 2500)
      const sentiment = rng() < 0.4 ? JSON.stringify({ label: pick(rng, sentimentLabels), score: round3(rng()) }) : null
      if (plan.queryRawResult.has(n)) {
        queryResult = `${resultCount} rows: ${word(rng)}, ${word(rng)}`
        quirks.push({ table: "queries", id, column: "query_result", kind: "invalid_json", detail: queryResult })
      }
      if (plan.queryEmptyExecTime.has(n)) {
        executionTime = ""
        quirks.push({
          table: "queries",
          id,
          column: "execution_time_ms",
          kind: "empty_text_in_numeric_column",
          detail: "''"
        })
      }
      writer.add([
        id,
        timestamp,
        userId(user),
        usernameOf(user),
        `how many messages mention ${term}${rng() < 0.3 ? " this week" : ""}`,
        `SELECT COUNT(*) FROM messages WHERE message_content LIKE '%${term}%'`,
        rng() < 0.6 ? words(rng, 4, 12) : null,
        queryResult,
        failed ? null : resultCount,
        failed ? `no such column: ${word(rng)}` : null,
        executionTime,
        sentiment,
        pick(rng, complexities),
        rng() < 0.3 ? pick(rng, satisfactions) : null,
        Math.floor(timestamp / 1000)
      ])
    }
  })
}

const documentCreatedAt = (rng: Rng): number => START_S + Math.floor(rng() * SPAN_S)

const insertDocuments = (
  db: Database.Database,
  rng: Rng,
  sizes: Sizes,
  shape: Shape,
  plan: QuirkPlan,
  quirks: Array<LegacyQuirk>
): Effect.Effect<void, LegacyGeneratorError> => {
  const documentWriter = rowWriter(db, "documents", [
    "id",
    "title",
    "content",
    "created_by",
    "created_by_username",
    "created_at",
    "updated_at",
    "is_public",
    "metadata"
  ])
  const collaboratorWriter = rowWriter(db, "document_collaborators", [
    "id",
    "document_id",
    "user_id",
    "username",
    "role",
    "joined_at"
  ])
  const step = Math.max(1, Math.floor((sizes.users - 1) / 2))
  let collaborator = 0
  return Effect.gen(function* () {
    yield* inBatches(db, "documents", sizes.documents, [documentWriter, collaboratorWriter], (from, to) => {
      for (let n = from; n <= to; n++) {
        const id = `doc-${n}`
        const owner = shape.user(rng())
        const createdAt = documentCreatedAt(rng)
        const updatedAt = createdAt + Math.floor(rng() * 30 * 86_400)
        let isPublic: number | null = rng() < 0.7 ? 1 : 0
        if (plan.documentNullPublic.has(n)) {
          isPublic = null
          quirks.push({ table: "documents", id, column: "is_public", kind: "null_boolean", detail: "NULL" })
        }
        documentWriter.add([
          id,
          words(rng, 2, 6),
          rng() < 0.05 ? "" : words(rng, 20, 80),
          userId(owner),
          usernameOf(owner),
          createdAt,
          updatedAt,
          isPublic,
          rng() < 0.6 ? JSON.stringify({ tags: [word(rng), word(rng)], version: int(rng, 1, 9) }) : null
        ])
        // Three distinct collaborators: u, u + step, u + 2 step (mod users) with 1 <= step <= (users - 1) / 2.
        const base = Math.floor(rng() * sizes.users)
        const s = 1 + Math.floor(rng() * step)
        for (let j = 0; j < 3; j++) {
          const u = (base + j * s) % sizes.users
          collaborator++
          collaboratorWriter.add([
            `collab-${collaborator}`,
            id,
            userId(u),
            rng() < 0.9 ? usernameOf(u) : null,
            j === 0 ? "owner" : pick(rng, roles),
            createdAt + Math.floor(rng() * 86_400)
          ])
        }
      }
    })
    yield* attempt("insert orphan document_collaborators", () => {
      for (let k = 1; k <= plan.orphanCollaborators; k++) {
        const id = `collab-${++collaborator}`
        const documentId = `doc-${sizes.documents + k}`
        const u = Math.floor(rng() * sizes.users)
        collaboratorWriter.add([id, documentId, userId(u), usernameOf(u), "editor", documentCreatedAt(rng)])
        quirks.push({
          table: "document_collaborators",
          id,
          column: "document_id",
          kind: "orphan_row",
          detail: `${documentId} does not exist in documents`
        })
      }
      collaboratorWriter.flush()
    })
  })
}

/** A user_profiles value for profile `n` (1-based, user `n - 1`) whose activity spans [firstSeen, lastSeen]. */
type ProfileValue = (rng: Rng, n: number, firstSeen: number, lastSeen: number) => SqlValue

/** Picks, once per column, the generator of a type-appropriate value (NULL 15% of the time when nullable). */
const profileValue = (column: ColumnDef): ProfileValue => {
  const name = column.name
  switch (name) {
    case "id":
      return (_, n) => `profile-${n}`
    case "user_id":
      return (_, n) => userId(n - 1)
    case "username":
      return (_, n) => usernameOf(n - 1)
    case "first_seen_at":
      return (_, __, firstSeen) => firstSeen
    case "last_interaction_at":
      return (_, __, ___, lastSeen) => lastSeen
  }
  const value = ((): ProfileValue => {
    if (profileJsonArrays.has(name)) return randomJsonArray
    if (profileJsonObjects.has(name)) return randomJsonObject
    if (column.type === "INTEGER") {
      if (name.endsWith("_at")) return (rng, _, first, last) => first + Math.floor(rng() * (last - first + 1))
      if (name === "message_count") return (rng) => int(rng, 0, 5000)
      return (rng) => int(rng, 0, 100)
    }
    if (column.type === "REAL") {
      if (name === "message_length_avg") return (rng) => round2(5 + rng() * 295)
      if (name === "message_length_variance") return (rng) => round2(rng() * 5000)
      if (name === "response_latency_avg") return (rng) => round2(0.5 + rng() * 600)
      return (rng) => round3(rng())
    }
    switch (name) {
      case "birth_date":
        return (rng) =>
          [int(rng, 1960, 2008), int(rng, 1, 12), int(rng, 1, 28)].map((v) => String(v).padStart(2, "0")).join("-")
      case "uploaded_photo_url":
        return (rng, n) => `https://cdn.example.com/avatars/${n}/${Math.floor(rng() * 1e9).toString(36)}.png`
      case "zodiac_sign":
        return (rng) => pick(rng, zodiacSigns)
      case "zodiac_element":
        return (rng) => pick(rng, zodiacElements)
      case "zodiac_modality":
        return (rng) => pick(rng, zodiacModalities)
    }
    if (/thoughts|summary|description|assessment|background/.test(name)) return (rng) => words(rng, 6, 20)
    return (rng) => words(rng, 1, 2)
  })()
  if (column.notNull) return value
  return (rng, n, first, last) => (rng() < 0.15 ? null : value(rng, n, first, last))
}

const insertProfiles = (
  db: Database.Database,
  rng: Rng,
  schema: string,
  sizes: Sizes,
  plan: QuirkPlan,
  affinity: AffinityPlan,
  quirks: Array<LegacyQuirk>
): Effect.Effect<void, LegacyGeneratorError> => {
  const columns = profileColumns(schema)
  const generators = columns.map(profileValue)
  const opennessAt = columns.findIndex((c) => c.name === "openness_score")
  // The bot's scores and counts: the INTEGER columns that are not times.
  const scoreColumns = columns.flatMap((c, i) => (c.type === "INTEGER" && !c.name.endsWith("_at") ? [i] : []))
  const omegaThoughtsAt = columns.findIndex((c) => c.name === "omega_thoughts")
  const writer = rowWriter(
    db,
    "user_profiles",
    columns.map((c) => c.name)
  )
  const historyWriter = rowWriter(db, "user_analysis_history", [
    "id",
    "user_id",
    "analysis_timestamp",
    "feelings_snapshot",
    "personality_snapshot",
    "message_count_at_analysis",
    "changes_summary",
    "created_at"
  ])
  let history = 0
  const insertHistory = (user: number, firstSeen: number, lastInteraction: number): void => {
    const n = ++history
    const id = `hist-${n}`
    const at = firstSeen + Math.floor(rng() * (lastInteraction - firstSeen + 1))
    let feelings: string | null =
      rng() < 0.9 ? JSON.stringify({ mood: pick(rng, moods), trust: round3(rng()), affinity: int(rng, 0, 100) }) : null
    let personality: string | null =
      rng() < 0.9
        ? JSON.stringify({ openness: int(rng, 0, 100), extraversion: int(rng, 0, 100), archetype: word(rng) })
        : null
    if (plan.historyFreeFeelings.has(n)) {
      feelings = `seems ${pick(rng, moods)} and ${word(rng)}, mood improved since last ${word(rng)}`
      quirks.push({
        table: "user_analysis_history",
        id,
        column: "feelings_snapshot",
        kind: "invalid_json",
        detail: feelings
      })
    }
    if (plan.historyFreePersonality.has(n)) {
      personality = `mostly ${word(rng)}; ${pick(rng, moods)} with strangers`
      quirks.push({
        table: "user_analysis_history",
        id,
        column: "personality_snapshot",
        kind: "invalid_json",
        detail: personality
      })
    }
    historyWriter.add([
      id,
      userId(user),
      at,
      feelings,
      personality,
      int(rng, 0, 5000),
      rng() < 0.7 ? words(rng, 4, 12) : null,
      at
    ])
  }
  return Effect.gen(function* () {
    yield* inBatches(db, "user_profiles", sizes.profiles, [writer, historyWriter], (from, to) => {
      for (let n = from; n <= to; n++) {
        const firstSeen = START_S + Math.floor(rng() * (SPAN_S / 2))
        const lastInteraction = firstSeen + Math.floor(rng() * (SPAN_S / 2))
        const values = generators.map((generate) => generate(rng, n, firstSeen, lastInteraction))
        const id = `profile-${n}`
        if (plan.profileRealOpenness.has(n)) {
          const real = int(rng, 0, 99) + 0.5
          values[opennessAt] = real
          quirks.push({
            table: "user_profiles",
            id,
            column: "openness_score",
            kind: "real_in_integer_column",
            detail: `REAL ${real}`
          })
        }
        if (affinity.fractional.has(n) || affinity.numericText.has(n)) {
          const rng = affinity.rng
          // Not the cell a quirk plants its REAL in: each planted cell is listed once.
          const free = scoreColumns.filter((i) => i !== opennessAt || !plan.profileRealOpenness.has(n))
          const chosen = new Set<number>()
          for (let k = int(rng, 1, 3); k > 0; k--) chosen.add(pick(rng, free))
          for (const at of chosen) {
            const v = int(rng, 0, 99)
            const column = columns[at]!.name
            if (affinity.fractional.has(n)) {
              values[at] = v + 0.5
              quirks.push({
                table: "user_profiles",
                id,
                column,
                kind: "real_in_integer_column",
                detail: `REAL ${v + 0.5}`
              })
            } else {
              const [text, stored] = pick(rng, numericTexts(v))
              values[at] = text
              quirks.push({
                table: "user_profiles",
                id,
                column,
                kind: "numeric_text_in_integer_column",
                detail: `TEXT ${JSON.stringify(text)} stored as ${Number.isInteger(stored) ? "INTEGER" : "REAL"} ${stored}`
              })
            }
          }
        }
        if (plan.profileNulText.has(n)) {
          values[omegaThoughtsAt] = `${words(rng, 2, 4)}\u0000${words(rng, 2, 4)}`
          quirks.push({ table: "user_profiles", id, column: "omega_thoughts", kind: "nul_character", detail: "U+0000" })
        }
        writer.add(values)
        insertHistory(n - 1, firstSeen, lastInteraction)
        insertHistory(n - 1, firstSeen, lastInteraction)
      }
    })
    yield* attempt("insert orphan user_analysis_history", () => {
      for (let k = 0; k < plan.orphanHistory; k++) {
        const user = sizes.users + k
        const firstSeen = START_S + Math.floor(rng() * SPAN_S)
        insertHistory(user, firstSeen, firstSeen + 86_400)
        quirks.push({
          table: "user_analysis_history",
          id: `hist-${history}`,
          column: "user_id",
          kind: "orphan_row",
          detail: `${userId(user)} has no user_profiles row`
        })
      }
      historyWriter.flush()
    })
  })
}

/** UPDATEs and DELETEs a few messages through the legacy triggers, which leaves stale terms in messages_fts. */
const staleTheFtsIndex = (
  db: Database.Database,
  rng: Rng,
  plan: QuirkPlan,
  quirks: Array<LegacyQuirk>,
  staleFts: Array<LegacyStaleFtsEntry>
): Effect.Effect<void, LegacyGeneratorError> =>
  attempt("stale the FTS index", () => {
    const select = db.prepare<[string], { rowid: number; message_content: string }>(
      "SELECT rowid, message_content FROM messages WHERE id = ?"
    )
    const update = db.prepare("UPDATE messages SET message_content = ? WHERE id = ?")
    const remove = db.prepare("DELETE FROM messages WHERE id = ?")
    const termsOf = (text: string): Set<string> => new Set(text.split(/[^a-z]+/).filter((t) => vocabulary.includes(t)))
    const run = db.transaction(() => {
      for (const n of plan.ftsUpdate) {
        const id = `msg-${n}`
        const row = select.get(id)
        if (row === undefined) continue
        const old = termsOf(row.message_content)
        let content = ""
        while (content === "") {
          const candidate = words(rng, 4, 8)
          if ([...termsOf(candidate)].every((t) => !old.has(t))) content = candidate
        }
        update.run(content, id)
        const staleTerms = [...old]
        staleFts.push({ id, rowid: row.rowid, action: "update", staleTerms, currentContent: content })
        quirks.push({
          table: "messages",
          id,
          column: "message_content",
          kind: "fts_stale_after_update",
          detail: `messages_fts still matches ${staleTerms.join(", ")} at rowid ${row.rowid}`
        })
      }
      for (const n of plan.ftsDelete) {
        const id = `msg-${n}`
        const row = select.get(id)
        if (row === undefined) continue
        remove.run(id)
        const staleTerms = [...termsOf(row.message_content)]
        staleFts.push({ id, rowid: row.rowid, action: "delete", staleTerms, currentContent: null })
        quirks.push({
          table: "messages",
          id,
          column: "message_content",
          kind: "fts_stale_after_delete",
          detail: `deleted; messages_fts still matches ${staleTerms.join(", ")} at rowid ${row.rowid}`
        })
      }
    })
    run()
  })

// ---------------------------------------------------------------------------------------------------------------------
// Program
// ---------------------------------------------------------------------------------------------------------------------

const tables: ReadonlyArray<LegacyTableName> = [
  "messages",
  "queries",
  "documents",
  "document_collaborators",
  "user_profiles",
  "user_analysis_history"
]

/**
 * The schema in its three parts, in file order: the CREATE TABLEs; the indexes and the FTS5 table; the triggers.
 *
 * Loading happens between the first and the second part, and the FTS index is then built with one 'rebuild'.
 * The resulting sqlite_master lists the same objects, with the same SQL, in the same order as when the schema is
 * applied up front, but a 2M-message load takes about 35% less CPU than with the indexes and the row-by-row
 * insert trigger in place: indexes are built by sorting, and FTS5 no longer flushes a segment per statement (a
 * statement firing the trigger opens a savepoint, and FTS5 flushes its pending terms at every savepoint).
 */
const schemaPhases = (schema: string): { tables: string; indexesAndFts: string; triggers: string } => {
  const indexes = schema.indexOf("\nCREATE INDEX ")
  const triggers = schema.indexOf("\nCREATE TRIGGER ")
  if (indexes < 0 || triggers < indexes) throw new Error("unexpected legacy schema layout")
  return {
    tables: schema.slice(0, indexes + 1),
    indexesAndFts: schema.slice(indexes + 1, triggers + 1),
    triggers: schema.slice(triggers + 1)
  }
}

/** Creates the file exclusively (atomic refusal of an existing path); removes it and its sidecars on failure. */
const reserveFile = (file: string): Effect.Effect<void, LegacyGeneratorError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.try({
      try: () => {
        fs.mkdirSync(path.dirname(file), { recursive: true })
        fs.closeSync(fs.openSync(file, "wx"))
      },
      catch: (cause) =>
        fail(
          (cause as NodeJS.ErrnoException | undefined)?.code === "EEXIST"
            ? `refusing to overwrite existing path ${file}`
            : `cannot create ${file}: ${cause instanceof Error ? cause.message : String(cause)}`,
          cause
        )
    }),
    (_, exit) =>
      Exit.isFailure(exit)
        ? Effect.sync(() => {
            for (const suffix of ["", "-journal", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true })
          })
        : Effect.void
  )

const openDatabase = (file: string): Effect.Effect<Database.Database, LegacyGeneratorError, Scope.Scope> =>
  Effect.acquireRelease(
    attempt(`open ${file}`, () => new Database(file)),
    (db) => Effect.sync(() => db.close())
  )

export const generateLegacyDatabase = (
  options: LegacyGeneratorOptions
): Effect.Effect<LegacyDatabaseSummary, LegacyGeneratorError> =>
  Effect.scoped(
    Effect.gen(function* () {
      const { path: file, form, messages } = options
      const seed = options.seed ?? DEFAULT_SEED
      if (!Number.isSafeInteger(messages) || messages < 0) {
        return yield* Effect.fail(fail(`messages must be a non-negative integer, got ${messages}`))
      }
      if (!Number.isSafeInteger(seed)) return yield* Effect.fail(fail(`seed must be an integer, got ${seed}`))
      if (form !== "full" && form !== "early") return yield* Effect.fail(fail(`unknown schema form ${String(form)}`))
      const quirksEnabled = options.quirks ?? false
      const users = Math.max(5, Math.floor(messages / 50))
      const profiles = users
      const sizes: Sizes = {
        messages,
        insertedMessages: messages + (quirksEnabled ? FTS_DELETES : 0),
        users,
        queries: Math.floor(messages / 10),
        documents: Math.max(5, Math.floor(messages / 100)),
        profiles,
        history: 2 * profiles
      }
      const plan = planQuirks(seed, sizes, quirksEnabled)
      const affinity = planAffinity(seed, sizes, options.affinityNumbers ?? false)
      const schema = form === "full" ? legacySchemaSql : legacySchemaSqlEarly

      yield* reserveFile(file)
      const db = yield* openDatabase(file)
      const phases = yield* attempt("split legacy schema", () => schemaPhases(schema))
      yield* attempt("create legacy tables", () => {
        // better-sqlite3 is built with SQLITE_DEFAULT_FOREIGN_KEYS=1; the bot never enforced them.
        db.pragma("foreign_keys = OFF")
        // Session-only speed settings: a half-written file is deleted on failure anyway.
        db.pragma("synchronous = OFF")
        db.pragma("cache_size = -131072")
        db.exec(phases.tables)
      })

      const rng = mulberry32(seed)
      const quirks: Array<LegacyQuirk> = []
      const staleFts: Array<LegacyStaleFtsEntry> = []
      const shape = shapeOf(sizes, options.skewed ?? false)
      yield* insertMessages(db, rng, sizes, shape, plan, quirks)
      yield* insertQueries(db, rng, sizes, shape, plan, quirks)
      yield* insertDocuments(db, rng, sizes, shape, plan, quirks)
      yield* insertProfiles(db, rng, schema, sizes, plan, affinity, quirks)

      yield* attempt("create legacy indexes, FTS5 table and triggers", () => {
        db.exec(phases.indexesAndFts)
        // What the insert trigger would have indexed row by row: same rowids, same three columns.
        db.exec("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')")
        db.exec(phases.triggers)
      })
      // From here on the legacy triggers are live: UPDATE and DELETE leave stale terms behind.
      if (quirksEnabled) yield* staleTheFtsIndex(db, rng, plan, quirks, staleFts)

      const counts = yield* attempt("count rows", () => {
        const result: Partial<Record<LegacyTableName, number>> = {}
        for (const table of tables) {
          result[table] = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).get()?.n ?? 0
        }
        return result as Record<LegacyTableName, number>
      })
      const summary: LegacyDatabaseSummary = { path: file, form, seed, counts, quirks, staleFts }
      return summary
    })
  )
