/**
 * SQLite migration 4, frozen: the FTS5 index is recreated with a tokenizer that splits words where PostgreSQL's
 * search does (PostgreSQL migration 5), so one query finds the same messages on both:
 * - `separators`: unicode61 knows Unicode 6.1 only and keeps every later code point inside words, so `love🥰` or
 *   `👍🏽ok` were single tokens and `love` missed them; ², ½ and ① (category No) were kept in words as well. Listed
 *   here: the code points of the search's separator set (Unicode 17 punctuation, symbols, separators, controls,
 *   format characters, No, and the unassigned code points of the emoji blocks) that unicode61 would otherwise keep
 *   inside a word, as measured on FTS5 of SQLite 3.53; it already splits at the others.
 * - `categories 'L* N* M*'`: combining marks belong to their word (Devanagari, Arabic, Thai words were cut into
 *   fragments at each vowel sign) as they do on PostgreSQL.
 * - `remove_diacritics 2`: diacritics are also removed from letters that carry two (Vietnamese `ệ`), which the
 *   default (1) left in place; PostgreSQL's fold reproduces this table.
 * The table is rebuilt from messages (measured: 200,000 messages in 0.9 s); the triggers keep their names and
 * statements and write to the new table.
 */
import { fixedStatements } from "../FrozenMigration.js"

/** Code points unicode61 must treat as separators, as hexadecimal `first-last` ranges. */
const separatorRanges = `
  b2-b3 b9 bc-be 58d-58e 605 61c-61d 7fe-7ff 888 890-891 8e2 9f4-9f9 9fd a76 b72-b77 bf0-bf2 c77-c7e c84 d4f d58-d5e
  d70-d78 f2a-f33 1369-137c 17f0-17f9 19da 1b4e-1b4f 1b7d-1b7f 2066-2069 2070 2074-2079 2080-2089 20ba-20c1 2150-215f
  2189-218b 23f4-23ff 2427-2429 2460-249b 24ea-24ff 2700 2776-2793 2b4d-2b4f 2b5a-2b73 2b76-2bff 2cfd 2e3c-2e5d
  2ffc-2fff 3192-3195 31e4-31e5 31ef 3220-3229 3248-324f 3251-325f 3280-3289 32b1-32bf 32ff a830-a835 a8fc ab5b
  ab6a-ab6b fbc2-fbd2 fd40-fd4f fd90-fd91 fdc8-fdcf fdfe-fdff 10107-10133 10175-10178 1018a-1018e 1019c 101a0
  102e1-102fb 10320-10323 1056f 10858-1085f 10877-1087f 108a7-108af 108fb-108ff 10916-1091b 109bc-109bd 109c0-109cf
  109d2-109ff 10a40-10a48 10a7d-10a7e 10a9d-10a9f 10ac8 10aeb-10af6 10b58-10b5f 10b78-10b7f 10b99-10b9c 10ba9-10baf
  10cfa-10cff 10d6e 10d8e-10d8f 10e60-10e7e 10ead 10ed0-10ed8 10f1d-10f26 10f51-10f59 10f86-10f89 10fc5-10fcb
  11052-11065 110cd 11174-11175 111cd 111db 111dd-111df 111e1-111f4 11238-1123d 112a9 113d4-113d5 113d7-113d8
  1144b-1144f 1145a-1145b 1145d 114c6 115c1-115d7 11641-11643 11660-1166c 116b9 1173a-1173f 1183b 118ea-118f2
  11944-11946 119e2 11a3f-11a46 11a9a-11a9c 11a9e-11aa2 11b00-11b09 11be1 11c41-11c45 11c5a-11c6c 11c70-11c71
  11ef7-11ef8 11f43-11f4f 11fc0-11ff1 11fff 12474 12ff1-12ff2 13430-1343f 16a6e-16a6f 16af5 16b37-16b3f 16b44-16b45
  16b5b-16b61 16d6d-16d6f 16e80-16e9a 16fe2 1bc9c 1bc9f-1bca3 1cc00-1ccef 1ccfa-1ccfc 1cd00-1ceb3 1ceba-1ced0
  1cee0-1cef0 1cf50-1cfc3 1d1de-1d1ea 1d2c0-1d2d3 1d2e0-1d2f3 1d360-1d378 1d800-1d9ff 1da37-1da3a 1da6d-1da74
  1da76-1da83 1da85-1da8b 1e14f 1e2ff 1e5ff 1e8c7-1e8cf 1e95e-1e95f 1ec71-1ecb4 1ed01-1ed3d 1f02c-1f02f 1f094-1f09f
  1f0af-1f0b0 1f0bf-1f0c0 1f0d0 1f0e0-1f10f 1f12f 1f16c-1f16f 1f19b-1f1e5 1f203-1f20f 1f23b-1f23f 1f249-1f24f
  1f252-1f2ff 1f321-1f32f 1f336 1f37d-1f37f 1f394-1f39f 1f3c5 1f3cb-1f3df 1f3f1-1f3ff 1f43f 1f441 1f4f8 1f4fd-1f4ff
  1f53e-1f53f 1f544-1f54f 1f568-1f5fa 1f641-1f644 1f650-1f67f 1f6c6-1f6ff 1f774-1fb92 1fb94-1fbef 1fbfa
`

const separators = separatorRanges
  .trim()
  .split(/\s+/)
  .flatMap((range) => {
    const [first = "", last = first] = range.split("-")
    const [from, to] = [parseInt(first, 16), parseInt(last, 16)]
    return Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i))
  })
  .join("")

export const searchTokenizer = fixedStatements([
  "DROP TABLE IF EXISTS messages_fts",
  `CREATE VIRTUAL TABLE messages_fts USING fts5(
      message_content,
      tool_name,
      username,
      content='messages',
      content_rowid='rowid',
      tokenize='unicode61 remove_diacritics 2 categories ''L* N* M*'' separators ''${separators}'''
    )`,
  "INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')"
])
