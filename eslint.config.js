// Lint: typescript-eslint's type-aware recommended rules over the sources, tests and benchmarks. Formatting is
// prettier's job (format:check); the Effect language service's diagnostics run beside this (npm run lint).
import js from "@eslint/js"
import tseslint from "typescript-eslint"

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "bench/.data/", "coverage/", "**/*.tmp.*"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Effect.gen bodies are generators whose `yield*` the rule does not see as awaiting.
      "require-yield": "off"
    }
  },
  {
    // Library code logs through Effect's Logger, never the console.
    files: ["src/**/*.ts"],
    rules: { "no-console": "error" }
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      parserOptions: { projectService: false },
      globals: { process: "readonly", globalThis: "readonly", performance: "readonly", URL: "readonly" }
    }
  }
)
