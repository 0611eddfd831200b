import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The CLI tests run the built command (bin/omega-db.js → dist), so the suite builds once before it starts.
    globalSetup: ["test/support/buildOnce.ts"],
    // Quiet when tests pass: what a test logged is printed only when that test fails.
    silent: "passed-only",
    // Most tests wait on PostgreSQL, child processes and timers rather than the CPU: two files at a time even on a
    // machine of two cores (vitest's default there is one).
    maxWorkers: 2,
    minWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 120_000
  }
})
