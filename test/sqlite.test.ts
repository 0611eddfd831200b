import { Effect, Layer } from "effect"
import { sqliteBackend } from "../src/runtime/modes/DatabaseLayer.js"
import { servicesSuite } from "./suites/ServicesSuite.js"
import { tempSqlite } from "./support/TestDatabases.js"

servicesSuite("sqlite", () => Layer.unwrapScoped(Effect.map(tempSqlite(), sqliteBackend)))
