import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** Smoke tests of the real entry points (workerd through wrangler, Deno): slower, so a separate run. */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL("..", import.meta.url)),
    include: ["tests/runtime/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    pool: "forks",
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
