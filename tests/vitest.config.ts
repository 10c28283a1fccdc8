import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: fileURLToPath(new URL("..", import.meta.url)),
    include: ["tests/{api,db,lib}/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    // Two cores: two workers, each with its own embedded Postgres.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
