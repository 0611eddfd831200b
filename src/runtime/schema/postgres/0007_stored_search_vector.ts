/**
 * PostgreSQL migration 7, frozen: messages keep their search vector in a stored column, `search_vector`, generated
 * from the IMMUTABLE `messages_search_vector` (migration 5), and the GIN index `idx_messages_fts` covers that column
 * instead of the expression. Measured at 1M messages (bench/read-bench.ts, and each design side by side on the same
 * rows): a search with a filter, or for a word of middling frequency, is answered by walking a btree in time order
 * and testing each row, and testing a stored vector costs about 0.6 µs where computing the expression cost about
 * 19 µs (a page of "people", 2% of messages: 74 ms over the expression, 1.4 ms over the column; its count in the
 * busiest channel 45 ms against 21 ms). A bitmap heap scan rechecks lossy pages from the column, not by folding
 * every row again. `copy` of 1M messages took 28 and 34 s over the expression, 29 and 40 s over the column (runs
 * interleaved on a loaded 2-core machine: no difference beyond its noise), as the fold moves from the index build
 * (17.2 s over the expression, 2.8 s over the column) into COPY. The price is 43% more heap for messages (275 MB,
 * now 394 MB), and a rewrite of the table when this runs over existing rows (35 s for 1M messages, writes locked).
 *
 * The function is redefined first, to the same result at about a third of the cost, since every row is now folded
 * on its way in: PL/pgSQL instead of SQL with `SET search_path`, whose per-call save and restore of the setting
 * cost more than the fold (100,000 messages: 2.8 s, now 0.95 s; the old to_tsvector expression 0.6 s). PL/pgSQL is
 * never inlined either, so the declared COST still holds, and the body names pg_catalog's functions and operators
 * itself, so nothing is looked up through the caller's path. The fold is migration 5's, to the letter, except
 * that the space is left out of the separators it replaces by a space. The index is dropped before the column is
 * added so that the table rewrite does not fold every row for it once more.
 */
import { fixedStatements } from "../FrozenMigration.js"

/** Code points where a word ends, as hexadecimal `first-last` ranges. */
const separatorRanges = `
  80-a9 ab-b4 b6-b9 bb-bf d7 f7 2c2-2c5 2d2-2df 2e5-2eb 2ed 2ef-2ff 375 37e 384-385 387 3f6 482 55a-55f 589-58f 5be
  5c0 5c3 5c6 5f3-60f 61b-61f 66a-66d 6d4 6dd-6de 6e9 6fd-6fe 700-70f 7f6-7f9 7fe-7ff 830-83e 85e 888 890-891 8e2
  964-965 970 9f2-9fb 9fd a76 af0-af1 b70 b72-b77 bf0-bfa c77-c7f c84 d4f d58-d5e d70-d79 df4 e3f e4f e5a-e5b f01-f17
  f1a-f1f f2a-f34 f36 f38 f3a-f3d f85 fbe-fc5 fc7-fda 104a-104f 109e-109f 10fb 1360-137c 1390-1399 1400 166d-166e 1680
  169b-169c 16eb-16ed 1735-1736 17d4-17d6 17d8-17db 17f0-180a 180e 1940-1945 19da-19ff 1a1e-1a1f 1aa0-1aa6 1aa8-1aad
  1b4e-1b4f 1b5a-1b6a 1b74-1b7f 1bfc-1bff 1c3b-1c3f 1c7e-1c7f 1cc0-1cc7 1cd3 1fbd 1fbf-1fc1 1fcd-1fcf 1fdd-1fdf
  1fed-1fef 1ffd-2070 2074-207e 2080-208e 20a0-20c1 2100-2101 2103-2106 2108-2109 2114 2116-2118 211e-2123 2125 2127
  2129 212e 213a-213b 2140-2144 214a-214d 214f-215f 2189-2bff 2ce5-2cea 2cf9-2cff 2d70 2e00-2e2e 2e30-3004 3008-3020
  3030 3036-3037 303d-303f 309b-309c 30a0 30fb 3190-319f 31c0-31ef 3200-33ff 4dc0-4dff a490-a4c6 a4fe-a4ff a60d-a60f
  a673 a67e a6f2-a716 a720-a721 a789-a78a a828-a82b a830-a839 a874-a877 a8ce-a8cf a8f8-a8fa a8fc a92e-a92f a95f
  a9c1-a9cd a9de-a9df aa5c-aa5f aa77-aa79 aade-aadf aaf0-aaf1 ab5b ab6a-ab6b abeb fb29 fbb2-fbd2 fd3e-fd4f fd90-fd91
  fdc8-fdcf fdfc-fdff fe10-fe19 fe30-fe6b feff-ff0f ff1a-ff20 ff3b-ff40 ff5b-ff65 ffe0-fffd 10100-1013f 10175-101fc
  102e1-102fb 10320-10323 1039f 103d0 1056f 10857-1085f 10877-1087f 108a7-108af 108fb-108ff 10916-1091f 1093f
  109bc-109bd 109c0-109ff 10a40-10a58 10a7d-10a7f 10a9d-10a9f 10ac8 10aeb-10af6 10b39-10b3f 10b58-10b5f 10b78-10b7f
  10b99-10baf 10cfa-10cff 10d6e 10d8e-10e7e 10ead 10ed0-10ed8 10f1d-10f26 10f51-10f59 10f86-10f89 10fc5-10fcb
  11047-11065 110bb-110c1 110cd 11140-11143 11174-11175 111c5-111c8 111cd 111db 111dd-111f4 11238-1123d 112a9
  113d4-113d8 1144b-1144f 1145a-1145d 114c6 115c1-115d7 11641-11643 11660-1166c 116b9 1173a-1173f 1183b 118ea-118f2
  11944-11946 119e2 11a3f-11a46 11a9a-11a9c 11a9e-11aa2 11b00-11b09 11be1 11c41-11c45 11c5a-11c71 11ef7-11ef8
  11f43-11f4f 11fc0-11fff 12470-12474 12ff1-12ff2 13430-1343f 16a6e-16a6f 16af5 16b37-16b3f 16b44-16b45 16b5b-16b61
  16d6d-16d6f 16e80-16e9a 16fe2 1bc9c 1bc9f-1ccef 1ccfa-1cef0 1cf50-1d164 1d16a-1d16c 1d173-1d17a 1d183-1d184
  1d18c-1d1a9 1d1ae-1d241 1d245-1d378 1d6c1 1d6db 1d6fb 1d715 1d735 1d74f 1d76f 1d789 1d7a9 1d7c3 1d800-1d9ff
  1da37-1da3a 1da6d-1da74 1da76-1da83 1da85-1da8b 1e14f 1e2ff 1e5ff 1e8c7-1e8cf 1e95e-1ed3d 1eef0-1fbef 1fbfa
  e0001-e007f
`

const droppedMarks = "300-304 306-30c 30f 311 31b 323-328 32d-32e 330-331"

const folds: ReadonlyArray<readonly [to: string, from: string]> = [
  ["a", "c0-c5 e0-e5 100-105 1cd-1ce 1de-1df 1fa-1fb 200-203 226-227 1e00-1e01 1ea0-1eb7 212b"],
  ["b", "1e02-1e07"],
  ["c", "c7 e7 106-10d 1e08-1e09"],
  ["d", "10e-10f 1e0a-1e13"],
  ["e", "c8-cb e8-eb 112-11b 204-207 228-229 1e14-1e1d 1eb8-1ec7"],
  ["f", "1e1e-1e1f"],
  ["g", "11c-123 1e6-1e7 1f4-1f5 1e20-1e21"],
  ["h", "124-125 21e-21f 1e22-1e2b 1e96"],
  ["i", "cc-cf ec-ef 128-130 1cf-1d0 208-20b 1e2c-1e2f 1ec8-1ecb"],
  ["j", "134-135 1f0"],
  ["k", "136-137 1e8-1e9 1e30-1e35"],
  ["l", "139-13e 1e36-1e3d"],
  ["m", "1e3e-1e43"],
  ["n", "d1 f1 143-148 1f8-1f9 1e44-1e4b"],
  ["o", "d2-d6 f2-f6 14c-151 1a0-1a1 1d1-1d2 1ea-1ed 20c-20f 22a-231 1e4c-1e53 1ecc-1ee3"],
  ["p", "1e54-1e57"],
  ["r", "154-159 210-213 1e58-1e5f"],
  ["s", "15a-161 17f 218-219 1e60-1e69 1e9b"],
  ["t", "162-165 21a-21b 1e6a-1e71 1e97"],
  ["u", "d9-dc f9-fc 168-173 1af-1b0 1d3-1dc 214-217 1e72-1e7b 1ee4-1ef1"],
  ["v", "1e7c-1e7f"],
  ["w", "174-175 1e80-1e89 1e98"],
  ["x", "1e8a-1e8d"],
  ["y", "dd fd ff 176-178 232-233 1e8e-1e8f 1e99 1ef2-1ef9"],
  ["z", "179-17e 1e90-1e95"],
  ["β", "3d0"],
  ["ε", "3f5"],
  ["θ", "3d1"],
  ["ι", "345 1fbe"],
  ["κ", "3f0"],
  ["μ", "b5"],
  ["π", "3d6"],
  ["ρ", "3f1"],
  ["σ", "3c2"],
  ["φ", "3d5"]
]

const codePoints = (list: string): Array<number> =>
  list
    .trim()
    .split(/\s+/)
    .flatMap((range) => {
      const [first = "", last = first] = range.split("-")
      const [from, to] = [parseInt(first, 16), parseInt(last, 16)]
      return Array.from({ length: to - from + 1 }, (_, i) => from + i)
    })

/** As written inside an E'' string: the backslash is doubled there and reaches the regular expression single. */
const regexChar = (cp: number) =>
  cp <= 0xffff ? `\\\\u${cp.toString(16).padStart(4, "0")}` : `\\\\U${cp.toString(16).padStart(8, "0")}`

const regexClass = (list: string) => {
  const ranges: Array<[number, number]> = []
  for (const cp of codePoints(list)) {
    const last = ranges.at(-1)
    if (last !== undefined && last[1] === cp - 1) last[1] = cp
    else ranges.push([cp, cp])
  }
  return ranges.map(([a, b]) => (a === b ? regexChar(a) : `${regexChar(a)}-${regexChar(b)}`)).join("")
}

// The space itself is left out: replacing each space by a space changed nothing and cost a regex match per word.
const asciiSeparators = "\\\\x01-\\\\x1f\\\\x21-\\\\x2f\\\\x3a-\\\\x40\\\\x5b-\\\\x60\\\\x7b-\\\\x7f"

/** The SQL expression folding `text` (an expression, repeated): folds first, marks out, separators to spaces. */
const fold = (text: string) => {
  const folded = folds.reduce(
    (acc, [to, from]) => `pg_catalog.regexp_replace(${acc}, E'[${regexClass(from)}]', '${to}', 'g')`,
    text
  )
  // Most messages hold no letter to fold: one test instead of the chain.
  const anyFolded = regexClass(folds.map(([, from]) => from).join(" "))
  const foldedIfAny = `CASE WHEN (${text}) OPERATOR(pg_catalog.~) E'[${anyFolded}]' THEN ${folded} ELSE ${text} END`
  const withoutMarks = `pg_catalog.regexp_replace(${foldedIfAny}, E'[${regexClass(droppedMarks)}]', '', 'g')`
  return `pg_catalog.regexp_replace(${withoutMarks}, E'[${asciiSeparators}${regexClass(separatorRanges)}]', ' ', 'g')`
}

const columns =
  "coalesce(message_content, '') OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) coalesce(tool_name, '') " +
  "OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) coalesce(username, '')"

export const storedSearchVector = fixedStatements([
  `CREATE OR REPLACE FUNCTION messages_search_vector(message_content text, tool_name text, username text)
  RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1000
  AS $$BEGIN RETURN pg_catalog.to_tsvector('pg_catalog.simple'::pg_catalog.regconfig, ${fold(columns)}); END$$`,
  "DROP INDEX IF EXISTS idx_messages_fts",
  "ALTER TABLE messages ADD COLUMN IF NOT EXISTS search_vector tsvector " +
    "GENERATED ALWAYS AS (messages_search_vector(message_content, tool_name, username)) STORED",
  "CREATE INDEX IF NOT EXISTS idx_messages_fts ON messages USING GIN (search_vector)"
])
