// Preloaded by bench/import-cost.ts into a plain `node` process: records every module the process loads, through
// ESM loader hooks (every import) and the CommonJS cache (every require).
import { register } from "node:module"
import { MessageChannel } from "node:worker_threads"

const { port1, port2 } = new MessageChannel()
const loaded = new Set()
port1.on("message", (url) => loaded.add(url))
port1.unref()
globalThis.__importCostLoaded = loaded
register("./hooks.mjs", import.meta.url, { data: { port: port2 }, transferList: [port2] })
