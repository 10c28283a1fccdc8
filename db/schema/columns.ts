import { timestamp, uuid } from "drizzle-orm/pg-core";
import { uuidv7 } from "../../api/lib/ids.ts";

/** Time-ordered ids keep B-tree inserts local and make ids sortable by creation. */
export const id = () => uuid("id").primaryKey().$defaultFn(uuidv7);

export const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

export const updatedAt = () =>
  timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow().$onUpdate(() => new Date());

export const timestampTz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
