/**
 * A Turso source for copy: the libSQL database is snapshotted into a temporary SQLite file and copied from there.
 * No libSQL server runs here, so the Turso URL is a `file:` URL (the libSQL client opens it like a remote
 * database); a real remote Turso database could not be tested.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import { copyData } from "../../src/programs/data/CopyData.js"
import * as TursoSnapshot from "../../src/programs/data/TursoSnapshot.js"
import type { SqliteLocation } from "../../src/runtime/config/SqliteLocation.js"
import * as PostgresDatabase from "../../src/runtime/layers/PostgresDatabase.js"
import { tempDir } from "../support/TestDatabases.js"
import { copyLayers, dump, freshPostgres, legacyDatabase } from "./support/Fixtures.js"

describe("copy from a Turso source", () => {
  it.scoped(
    "loads exactly the rows a copy of the plain file loads, and deletes its snapshot afterwards",
    () =>
      Effect.gen(function* () {
        const legacy = yield* legacyDatabase({ messages: 2000, quirks: false, seed: 7 })
        const fromFile = yield* freshPostgres
        const fromTurso = yield* freshPostgres
        const tempRoot = yield* tempDir
        const url = `file:${legacy.path}`
        const location: SqliteLocation = {
          _tag: "Turso",
          url: Redacted.make(url),
          authToken: Redacted.make("any-token")
        }

        const fileSummary = yield* copyData({ rejectsPath: join(legacy.dir, "file-rejects.jsonl") }).pipe(
          Effect.provide(copyLayers(legacy.path, fromFile))
        )
        // Small pages, so every table but the smallest takes several pages of the snapshot.
        const tursoLayer = Layer.merge(
          TursoSnapshot.sourceLayer({ filename: url, location }, { pageRows: 300, tempRoot }),
          PostgresDatabase.layer(fromTurso)
        )
        const tursoSummary = yield* copyData({ rejectsPath: join(legacy.dir, "turso-rejects.jsonl") }).pipe(
          Effect.provide(tursoLayer)
        )

        expect(tursoSummary.source).toBe(url)
        expect(tursoSummary.totals.rejected).toBe(0)
        expect(tursoSummary.totals.read).toBe(fileSummary.totals.read)
        expect(tursoSummary.tables.find((t) => t.table === "messages")?.read).toBe(legacy.summary.counts.messages)
        // The snapshot is one read transaction: no warning about page-by-page reads.
        expect(tursoSummary.warnings.some((w) => w.includes("WAL"))).toBe(false)
        expect(yield* dump(fromTurso.plainUrl)).toEqual(yield* dump(fromFile.plainUrl))
        // The temporary directory of the snapshot was deleted when the copy's scope closed.
        expect(fs.readdirSync(tempRoot)).toEqual([])
      }),
    120_000
  )
})
