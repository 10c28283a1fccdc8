/**
 * `npm run jobs:maintenance`: the purge half of the Worker's scheduled job,
 * run by hand against DATABASE_URL or the embedded database (not while
 * `npm start` holds it). Email retries stay with the Worker, which has the
 * mail provider's configuration.
 */
import { openDatabase } from "../../db/connect.ts";
import { systemClock } from "../lib/clock.ts";
import { jsonLogger } from "../lib/logger.ts";
import { purgeExpired } from "../maintenance.ts";

const database = await openDatabase();
try {
  console.log(await purgeExpired({ db: database.db, clock: systemClock, logger: jsonLogger("warn") }));
} finally {
  await database.close();
}
