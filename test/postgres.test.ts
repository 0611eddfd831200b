import { Effect, Layer } from "effect"
import { postgresBackend } from "../src/runtime/modes/DatabaseLayer.js"
import { servicesSuite } from "./suites/ServicesSuite.js"
import { tempPostgres } from "./support/TestDatabases.js"

servicesSuite("postgres", () => Layer.unwrapScoped(Effect.map(tempPostgres(), postgresBackend)))
