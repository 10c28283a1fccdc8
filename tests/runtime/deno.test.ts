import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exited, type RunningServer } from "../support/servers.ts";
import { type ServerDatabase, serverDatabase } from "../support/runtime-database.ts";
import { insertCategory } from "../support/factories.ts";
import { DENO, DENO_ARGS, startDeno } from "./deno-server.ts";

const categoryName = `Deno smoke ${crypto.randomUUID().slice(0, 6)}`;

let database: ServerDatabase;
let server: RunningServer;

beforeAll(async () => {
  database = await serverDatabase(async (db) => {
    await insertCategory(db, { name: categoryName });
  });
  server = await startDeno(database);
});

afterAll(async () => {
  await server?.stop();
  await database?.close();
});

describe("the Deno entry", () => {
  it("serves health and the categories from the database", async () => {
    const ready = await fetch(`${server.url}/health/ready`);
    expect(ready.status).toBe(200);
    const categories: { name: string }[] = await (await fetch(`${server.url}/api/v1/categories`)).json();
    expect(categories.map((category) => category.name)).toContain(categoryName);
  });

  it("registers and signs in (scrypt and jose on Deno)", async () => {
    const email = `deno-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const credentials = { email, password: "a passphrase on deno" };
    const json = { "Content-Type": "application/json" };
    const registered = await fetch(`${server.url}/api/v1/auth/register`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ ...credentials, name: "Deno" }),
    });
    expect(registered.status).toBe(202);
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: "POST",
      headers: json,
      body: JSON.stringify(credentials),
    });
    expect(login.status).toBe(200);
    const { accessToken } = await login.json();
    const me = await fetch(`${server.url}/api/v1/me`, { headers: { Authorization: `Bearer ${accessToken}` } });
    expect(await me.json()).toMatchObject({ email, name: "Deno" });
  });

  it("refuses to start with bad configuration, naming the variable", async () => {
    const child = spawn(DENO, DENO_ARGS, {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    expect(await exited(child)).toBe(78);
    expect(stderr).toContain("DATABASE_URL is required");
  });

  it("shuts down cleanly on SIGTERM", async () => {
    const second = await startDeno(database, { LOG_LEVEL: "info" });
    expect(await second.stop()).toBe(0);
    expect(second.output()).toContain("shutting down");
  });
});
