import { Hono } from "hono";
import type { AppEnv } from "../deps.ts";
import { listCategories } from "./service.ts";

export const catalogRoutes = new Hono<AppEnv>().get("/categories", async (c) => {
  c.header("Cache-Control", "public, max-age=60, stale-while-revalidate=300");
  return c.json(await listCategories(c.var.deps));
});
