import { Hono } from "hono";
import { type AuthEnv, requireUser } from "../identity/middleware.ts";
import { pageQuery } from "../lib/cursor.ts";
import { validate } from "../lib/validation.ts";
import { listNotifications, markAllRead, markRead } from "./service.ts";

export const notificationRoutes = new Hono<AuthEnv>()
  .use(requireUser)
  .get("/", validate("query", pageQuery), async (c) => {
    c.header("Cache-Control", "private, no-store");
    return c.json(await listNotifications(c.var.deps, c.var.user.userId, c.req.valid("query")));
  })
  .post("/read-all", async (c) => {
    await markAllRead(c.var.deps, c.var.user.userId);
    return c.body(null, 204);
  })
  .post("/:id/read", async (c) => {
    await markRead(c.var.deps, c.var.user.userId, c.req.param("id"));
    return c.body(null, 204);
  });
