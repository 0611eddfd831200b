/** The demo's files: a directory given by the caller (kept), or a fresh temp directory removed unless kept. */
import { Data, Effect } from "effect"
import * as fs from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { makeDirectory } from "../../runtime/files/OutputLocation.js"

export class WorkDirError extends Data.TaggedError("WorkDirError")<{ readonly message: string }> {}

export const demoWorkDir = (given: string | undefined, keep: boolean) =>
  given !== undefined
    ? Effect.try({
        try: () => {
          const dir = resolve(given)
          makeDirectory(dir)
          return dir
        },
        catch: (cause) => new WorkDirError({ message: `cannot create the work dir ${given}: ${String(cause)}` })
      })
    : Effect.acquireRelease(
        Effect.try({
          try: () => fs.mkdtempSync(join(tmpdir(), "omega-db-demo-")),
          catch: (cause) => new WorkDirError({ message: `cannot create a temp work dir: ${String(cause)}` })
        }),
        (dir) => (keep ? Effect.void : Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true })))
      )
