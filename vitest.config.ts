import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The CLI tests run the built command (bin/omega-db.js → dist), so the suite builds once before it starts.
    globalSetup: ["test/support/buildOnce.ts"],
    // Quiet when tests pass: what a test logged is printed only when that test fails.
    silent: "passed-only",
    testTimeout: 60_000,
    hookTimeout: 120_000
  }
})
