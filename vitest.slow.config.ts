import { defineConfig } from "vitest/config"

// `npm run test:slow`: the scale cases (thousands of photos, long runs) kept out of `npm test`.
export default defineConfig({
  test: {
    isolate: false,
    include: ["test/**/*.slow.test.ts"],
    globalSetup: ["test/integration/globalSetup.ts"],
    testTimeout: 300_000,
    hookTimeout: 60_000
  }
})
