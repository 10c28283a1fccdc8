/**
 * Starts the platform the way `npm start` does (./embedded-stack.ts), once
 * for the whole browser suite. Test files reach it through `inject("e2e")`
 * (see ./stack.ts).
 */
import { existsSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { siteBuildIsFresh } from "../../../api/local/site-build.ts";
import { startEmbeddedStack } from "./embedded-stack.ts";

declare module "vitest" {
  export interface ProvidedContext {
    e2e: { url: string };
  }
}

export default async function setup(project: TestProject) {
  if (!existsSync("site/dist/server/entry.mjs")) {
    throw new Error("No Worker bundle: run `npm run build` before `npm run test:e2e`.");
  }
  if (!siteBuildIsFresh()) console.warn("e2e: site/dist is older than some sources; the tests run the built code.");
  const stack = await startEmbeddedStack();
  project.provide("e2e", { url: stack.url });
  return stack.stop;
}
