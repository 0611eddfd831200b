/**
 * Where the package writes (the SQLite file's folder and the health snapshot in the bot; the rejects file, the
 * export directory and a database file `schema --create` makes in the programs): folders made one level at a
 * time, and a location tried before any database is touched.
 *
 * Not `fs.mkdirSync(dir, { recursive: true })`: when a missing folder cannot be made because its parent answers
 * ENOENT (anything under /proc), Node 20 retries the parent forever, synchronously, so the process spins with the
 * event loop blocked and no signal handler ever runs: only SIGKILL stops it.
 */
import * as fs from "node:fs"
import * as path from "node:path"

/** The deepest ancestor of `dir` that exists, and the missing folders below it, outermost first. */
const existingAncestor = (dir: string) => {
  const missing: Array<string> = []
  let current = path.resolve(dir)
  while (!fs.existsSync(current)) {
    const parent = path.dirname(current)
    if (parent === current) break
    missing.unshift(current)
    current = parent
  }
  if (!fs.statSync(current).isDirectory()) throw new Error(`${current} is not a directory`)
  return { existing: current, missing }
}

const makeLevel = (dir: string) => {
  try {
    fs.mkdirSync(dir)
  } catch (error) {
    // Made meanwhile by someone else: as good as made here, if it is a folder.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST" || !fs.statSync(dir).isDirectory()) throw error
  }
}

/** `mkdir -p` that fails at the first folder that cannot be made (throws). */
export const makeDirectory = (dir: string): void => {
  for (const level of existingAncestor(dir).missing) makeLevel(level)
}

/**
 * Throws unless an entry (file or folder) can be created in the folder of `target` now: that folder exists or can
 * be made, and takes a new file. Tried for real, with a probe file (in the first missing folder, made for the
 * probe), all removed after: permissions cannot tell, since root passes every access check and a read-only or
 * special filesystem only answers when written to. Leaves nothing behind.
 */
export const probeFolderOf = (target: string): void => {
  const { existing, missing } = existingAncestor(path.dirname(path.resolve(target)))
  const first = missing[0]
  if (first !== undefined) attempt(`cannot create the folder ${first}`, () => fs.mkdirSync(first))
  try {
    const folder = first ?? existing
    const probe = path.join(folder, `.omega-db-probe-${process.pid}-${Date.now()}`)
    attempt(`cannot create files in ${folder}`, () => fs.closeSync(fs.openSync(probe, "wx")))
    fs.rmSync(probe)
  } finally {
    if (first !== undefined) fs.rmdirSync(first)
  }
}

/** Runs `f`, rethrowing its error as `what (EACCES: permission denied)`: the probe's own path would only confuse. */
const attempt = (what: string, f: () => void) => {
  try {
    f()
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/, \w+ '.*'$/s, "") : String(error)
    throw new Error(`${what} (${reason})`, { cause: error })
  }
}
