import { PGlite } from "@electric-sql/pglite"
for (let i = 0; i < 3; i++) {
const t0 = Date.now()
const db = await PGlite.create()
console.log("created", Date.now() - t0)
await db.close()
}
