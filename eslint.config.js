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
      // Effect's data types render themselves (ConfigError, Redacted, Cause define toString).
      "@typescript-eslint/no-base-to-string": [
        "error",
        {
          ignoredTypeNames: [
            "ConfigError",
            "And",
            "Or",
            "InvalidData",
            "MissingData",
            "SourceUnavailable",
            "Unsupported",
            "Redacted",
            "Error",
            "RegExp",
            "URL"
          ]
        }
      ],
      // Effect.gen bodies are generators whose `yield*` the rule does not see as awaiting.
      "require-yield": "off"
    }
  },
  {
    // Tests and benchmarks read JSON and raw driver rows (typed `any`) to look at what a user would see; the
    // no-unsafe rules stay on for the library, where every value is decoded by a Schema first.
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-argument": "off"
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
      globals: {
        process: "readonly",
        globalThis: "readonly",
        performance: "readonly",
        URL: "readonly",
        setTimeout: "readonly",
        console: "readonly"
      }
    }
  }
)
