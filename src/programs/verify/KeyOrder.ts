/**
 * The order both databases page keys in: SQLite compares TEXT with BINARY (UTF-8 bytes) and the PostgreSQL key
 * columns are COLLATE "C" (bytes too). UTF-8 byte order is code point order, which JavaScript's `<` is not (it
 * compares UTF-16 units, so U+E000..U+FFFF sort after astral characters there): the merge must use this.
 */

/** Maps a UTF-16 unit so that unit order becomes code point order (surrogates above U+E000..U+FFFF). */
const rank = (unit: number): number =>
  unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit

export const compareKeys = (a: string, b: string): number => {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) return rank(x) - rank(y)
  }
  return a.length - b.length
}
