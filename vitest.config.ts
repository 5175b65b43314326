import { defineConfig } from "vitest/config"

// `npm test`: every test but the scale cases (*.slow.test.ts), which `npm run test:slow` runs (vitest.slow.config.ts).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/**/*.slow.test.ts", "**/node_modules/**"],
    globalSetup: ["test/integration/globalSetup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000
  }
})
