import { timestamp, uuid } from "drizzle-orm/pg-core";
import { uuidv7 } from "../../api/lib/ids.ts";

/** Time-ordered ids keep B-tree inserts local and make ids sortable by creation. */
export const id = () => uuid("id").primaryKey().$defaultFn(uuidv7);

/**
 * Millisecond precision, like JavaScript's Date: a timestamp that went through
 * the app (a cursor, a cache entry) compares equal to the stored one.
 */
export const timestampTz = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

export const createdAt = () => timestampTz("created_at").notNull().defaultNow();

export const updatedAt = () => timestampTz("updated_at").notNull().defaultNow().$onUpdate(() => new Date());
