import { fileURLToPath } from "node:url";
import { readMigrationFiles } from "drizzle-orm/migrator";
import type { Db } from "./client.ts";

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

interface Migrator {
  dialect: { migrate(migrations: unknown, session: unknown, config: unknown): Promise<void> };
  session: unknown;
}

/**
 * Applies db/migrations in order, once each (drizzle's journal table). Every
 * Drizzle Postgres driver shares this dialect code; going through it directly
 * lets one function serve PGlite and the Neon driver alike.
 */
export async function migrate(db: Db): Promise<void> {
  const migrator = db as unknown as Migrator;
  const config = { migrationsFolder };
  await migrator.dialect.migrate(readMigrationFiles(config), migrator.session, config);
}
