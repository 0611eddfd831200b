/**
 * The migration modes of the guide, as data: which database takes the writes, which one receives them as a
 * shadow, and which one answers reads. `ModeConfig` chooses one from the USE_POSTGRES_* flags; `DatabaseLayer`
 * turns it into layers.
 */
import { Data } from "effect"
import type { Backend } from "../domain/Errors.js"

export type Mode = Data.TaggedEnum<{
  /** One database for everything: SQLite (nothing set) or PostgreSQL (USE_POSTGRES_PRIMARY). */
  Single: { readonly backend: Backend }
  /** Writes commit on `primary`, then reach `shadow` in the background; reads go to `reads`. */
  Shadowed: { readonly primary: Backend; readonly shadow: Backend; readonly reads: Backend }
}>

export const Mode = Data.taggedEnum<Mode>()

export const sqliteOnly: Mode = Mode.Single({ backend: "sqlite" })
export const postgresOnly: Mode = Mode.Single({ backend: "postgres" })
/** USE_POSTGRES_SHADOW: SQLite stays primary, PostgreSQL is filled in the background. */
export const sqliteShadowedToPostgres: Mode = Mode.Shadowed({ primary: "sqlite", shadow: "postgres", reads: "sqlite" })
/** USE_POSTGRES_READ + USE_POSTGRES_SHADOW: as above, but reads come from PostgreSQL. */
export const sqliteShadowedReadPostgres: Mode = Mode.Shadowed({
  primary: "sqlite",
  shadow: "postgres",
  reads: "postgres"
})
/** USE_POSTGRES_PRIMARY + USE_POSTGRES_SHADOW: PostgreSQL is primary and SQLite keeps up, so rollback loses nothing. */
export const postgresShadowedToSqlite: Mode = Mode.Shadowed({
  primary: "postgres",
  shadow: "sqlite",
  reads: "postgres"
})

/** The databases a mode opens. */
export const backendsOf = (mode: Mode): ReadonlyArray<Backend> =>
  Mode.$match(mode, {
    Single: ({ backend }) => [backend],
    Shadowed: ({ primary, shadow }) => [primary, shadow]
  })

/** One line for the start-up log and the health log. */
export const describeMode = (mode: Mode): string =>
  Mode.$match(mode, {
    Single: ({ backend }) => `${backend} only`,
    Shadowed: ({ primary, shadow, reads }) =>
      `${primary} primary, shadow writes to ${shadow}, reads from ${reads === primary ? `${reads}` : `${reads} (read-your-writes via the shadow watermark)`}`
  })
