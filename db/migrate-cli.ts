import { openDatabase } from "./connect.ts";
import { migrate } from "./migrate.ts";

const database = await openDatabase();
try {
  await migrate(database.db);
  console.log(
    `migrations applied to ${process.env.DATABASE_URL ? "DATABASE_URL" : "the embedded database (.data/pglite)"}`,
  );
} finally {
  await database.close();
}
