import { defineConfig } from "vitest/config"

// `npm test`: every test but the scale cases (*.slow.test.ts), which `npm run test:slow` runs (vitest.slow.config.ts).
// The files share their workers' module cache (isolate: false): importing Effect and fbk once per worker rather than
// once per file took most of a run's time on 2 cores. Each file cleans up its own simulators, homes and mocks.
// Two workers, not vitest's default of one less than the cores (one, here): most files wait on HTTP, SQLite
// and child processes, so a second file in flight keeps both cores busy.
export default defineConfig({
  test: {
    isolate: false,
    maxWorkers: 2,
    minWorkers: 1,
    include: ["test/**/*.test.ts"],
    exclude: ["test/**/*.slow.test.ts", "**/node_modules/**"],
    globalSetup: ["test/integration/globalSetup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000
  }
})
