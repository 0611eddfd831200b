/**
 * Decides whether JSON text is one value PostgreSQL's JSONB accepts, without building it: a load checks every
 * JSON cell, and parsing each into objects only to throw them away was a large share of its time and garbage.
 * Stricter than JSON.parse where JSONB is: an escaped lone surrogate (\uD800) is not valid. An escaped U+0000,
 * which JSONB also refuses, is reported separately so the caller can remove it.
 */

export type JsonScan = "invalid" | "valid" | "validWithNul"

let src = ""
let pos = 0
let nul = false
/** Deeper documents are left to JSON.parse, so a long chain of brackets cannot exhaust the stack. */
const maxDepth = 256

/** Thrown (once built, never with a useful stack) to unwind the scanner; caught below. */
class TooDeep extends Error {}
const tooDeep = new TooDeep()

const skipWhitespace = () => {
  for (;;) {
    const c = src.charCodeAt(pos)
    if (c === 32 || c === 10 || c === 13 || c === 9) pos++
    else return
  }
}

const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)

const hex4 = (): number => {
  let code = 0
  for (let k = 0; k < 4; k++) {
    const c = src.charCodeAt(pos++)
    if (!isHex(c)) return -1
    code = code * 16 + (c <= 57 ? c - 48 : (c | 32) - 87)
  }
  return code
}

/** At the opening quote. */
const string = (): boolean => {
  pos++
  for (;;) {
    const c = src.charCodeAt(pos++)
    if (c === 34) return true
    if (c !== c || c < 32) return false // end of text (NaN) or a raw control character
    if (c !== 92) continue
    const e = src.charCodeAt(pos++)
    if (e === 117) {
      const code = hex4()
      if (code < 0) return false
      if (code === 0) nul = true
      else if (code >= 0xdc00 && code <= 0xdfff) return false
      else if (code >= 0xd800 && code <= 0xdbff) {
        if (src.charCodeAt(pos) !== 92 || src.charCodeAt(pos + 1) !== 117) return false
        pos += 2
        const low = hex4()
        if (low < 0xdc00 || low > 0xdfff) return false
      }
    } else if (!(e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116)) {
      return false
    }
  }
}

const digits = (): boolean => {
  const start = pos
  while (src.charCodeAt(pos) >= 48 && src.charCodeAt(pos) <= 57) pos++
  return pos > start
}

const number = (): boolean => {
  if (src.charCodeAt(pos) === 45) pos++
  const first = src.charCodeAt(pos)
  if (first === 48) pos++
  else if (first >= 49 && first <= 57) digits()
  else return false
  if (src.charCodeAt(pos) === 46) {
    pos++
    if (!digits()) return false
  }
  const e = src.charCodeAt(pos)
  if (e === 101 || e === 69) {
    pos++
    const sign = src.charCodeAt(pos)
    if (sign === 43 || sign === 45) pos++
    if (!digits()) return false
  }
  return true
}

const literal = (word: string): boolean => {
  if (!src.startsWith(word, pos)) return false
  pos += word.length
  return true
}

const value = (depth: number): boolean => {
  if (depth > maxDepth) throw tooDeep
  switch (src.charCodeAt(pos)) {
    case 123: {
      pos++
      skipWhitespace()
      if (src.charCodeAt(pos) === 125) {
        pos++
        return true
      }
      for (;;) {
        if (src.charCodeAt(pos) !== 34 || !string()) return false
        skipWhitespace()
        if (src.charCodeAt(pos) !== 58) return false
        pos++
        skipWhitespace()
        if (!value(depth + 1)) return false
        skipWhitespace()
        const c = src.charCodeAt(pos++)
        if (c === 125) return true
        if (c !== 44) return false
        skipWhitespace()
      }
    }
    case 91: {
      pos++
      skipWhitespace()
      if (src.charCodeAt(pos) === 93) {
        pos++
        return true
      }
      for (;;) {
        if (!value(depth + 1)) return false
        skipWhitespace()
        const c = src.charCodeAt(pos++)
        if (c === 93) return true
        if (c !== 44) return false
        skipWhitespace()
      }
    }
    case 34:
      return string()
    case 116:
      return literal("true")
    case 102:
      return literal("false")
    case 110:
      return literal("null")
    default:
      return number()
  }
}

const parsesAsJson = (text: string): boolean => {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

export const scanJson = (text: string): JsonScan => {
  src = text
  pos = 0
  nul = false
  try {
    skipWhitespace()
    const ok = value(0)
    skipWhitespace()
    if (!ok || pos !== text.length) return "invalid"
    return nul ? "validWithNul" : "valid"
  } catch (error) {
    if (error !== tooDeep) throw error
    return parsesAsJson(text) ? (text.includes("\\u0000") ? "validWithNul" : "valid") : "invalid"
  } finally {
    src = ""
  }
}
