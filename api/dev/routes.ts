import { desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { emailOutbox } from "../../db/schema/index.ts";
import type { AppEnv } from "../deps.ts";
import { AppError } from "../lib/errors.ts";
import { validate } from "../lib/validation.ts";

const mailQuery = z.object({
  to: z.string().trim().toLowerCase().max(254).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/**
 * The local mailbox: on the embedded default no email leaves the machine, so
 * this lists the outbox (newest first) for a developer to click the links.
 * It shows reset links, so it exists only where configuration turns it on
 * (DEV_MAILBOX=on, which `npm start` sets and production refuses); elsewhere
 * it answers 404, as if it did not exist.
 */
export const devRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (!c.var.deps.config.devMailbox) throw AppError.notFound("route");
    await next();
  })
  .get("/mail", validate("query", mailQuery), async (c) => {
    const { to, limit } = c.req.valid("query");
    const rows = await c.var.deps.db
      .select()
      .from(emailOutbox)
      .where(to ? eq(emailOutbox.to, to) : undefined)
      .orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id))
      .limit(limit);
    c.header("Cache-Control", "no-store");
    return c.json({
      items: rows.map((row) => ({
        id: row.id,
        to: row.to,
        subject: row.subject,
        template: row.template,
        text: row.text,
        html: row.html,
        status: row.status,
        createdAt: row.createdAt.toISOString(),
        sentAt: row.sentAt?.toISOString() ?? null,
      })),
    });
  });
