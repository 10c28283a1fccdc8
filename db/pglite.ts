import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle } from "drizzle-orm/pglite";
import type { Database, Db } from "./client.ts";
import * as schema from "./schema/index.ts";

export interface EmbeddedDatabase extends Database {
  readonly pg: PGlite;
}

/** PGlite: Postgres compiled to WASM, in this process. `dataDir` keeps it on disk; without it, memory only. */
export async function openPglite(dataDir?: string): Promise<EmbeddedDatabase> {
  const pg = await PGlite.create({ dataDir, extensions: { pg_trgm } });
  const db = drizzle({ client: pg, schema }) as unknown as Db;
  return { pg, db, close: () => pg.close() };
}
