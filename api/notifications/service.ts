import { and, count, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { notifications } from "../../db/schema/index.ts";
import type { Deps } from "../deps.ts";
import { decodeCursor, type Page, type pageQuery, timeAndIdCursor, toPage } from "../lib/cursor.ts";
import { AppError } from "../lib/errors.ts";
import { isId } from "../lib/ids.ts";

type NotificationRow = typeof notifications.$inferSelect;

export interface NotificationView {
  id: string;
  kind: NotificationRow["kind"];
  title: string;
  body: string;
  link: string | null;
  readAt: string | null;
  createdAt: string;
}

function toView(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    link: row.link,
    readAt: row.readAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listNotifications(
  { db }: Pick<Deps, "db">,
  userId: string,
  page: z.infer<typeof pageQuery>,
): Promise<Page<NotificationView> & { unreadCount: number }> {
  const position = page.cursor ? decodeCursor(page.cursor, timeAndIdCursor) : undefined;
  const [rows, [unread]] = await Promise.all([
    db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.userId, userId),
          position
            ? sql`(${notifications.createdAt}, ${notifications.id}) < (${position[0]}::timestamptz, ${
              position[1]
            }::uuid)`
            : undefined,
        ),
      )
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(page.limit + 1),
    db.select({ n: count() }).from(notifications).where(
      and(eq(notifications.userId, userId), isNull(notifications.readAt)),
    ),
  ]);
  return {
    ...toPage(rows, page.limit, toView, (row) => [row.createdAt.toISOString(), row.id]),
    unreadCount: unread?.n ?? 0,
  };
}

/** Marks one of the user's own notifications read; anyone else's is simply not found. */
export async function markRead({ db, clock }: Pick<Deps, "db" | "clock">, userId: string, id: string): Promise<void> {
  if (!isId(id)) throw AppError.notFound("notification");
  const [row] = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, ${clock.now()})` })
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
    .returning({ id: notifications.id });
  if (!row) throw AppError.notFound("notification");
}

export async function markAllRead({ db, clock }: Pick<Deps, "db" | "clock">, userId: string): Promise<void> {
  await db
    .update(notifications)
    .set({ readAt: clock.now() })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
}
