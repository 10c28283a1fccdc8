import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** Fuzzing and fault injection: longer, so a run of its own (`npm run test:faults`). */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL("..", import.meta.url)),
    include: ["tests/faults/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    pool: "forks",
    maxWorkers: 1,
    testTimeout: 600_000,
    hookTimeout: 180_000,
  },
});
