import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../support/servers.ts";
import { type ServerDatabase, serverDatabase } from "../support/runtime-database.ts";
import { insertCategory } from "../support/factories.ts";
import { requireFreshBuild, startWorkerd } from "./workerd-server.ts";

const categoryName = `Workerd smoke ${crypto.randomUUID().slice(0, 6)}`;

let database: ServerDatabase;
let server: RunningServer;

beforeAll(async () => {
  requireFreshBuild();
  database = await serverDatabase(async (db) => {
    await insertCategory(db, { name: categoryName });
  });
  server = await startWorkerd(database);
});

afterAll(async () => {
  await server?.stop();
  await database?.close();
});

describe("the built Worker in workerd", () => {
  it("answers health and the API through the Neon driver", async () => {
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
    const categories: { name: string }[] = await (await fetch(`${server.url}/api/v1/categories`)).json();
    expect(categories.map((category) => category.name)).toContain(categoryName);
  });

  it("renders the home page from the same services, as HTML", async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("Content-Type")).toContain("text/html");
    expect(await page.text()).toContain(categoryName);
  });

  it("gives every request's connections back (more requests than the embedded server has slots)", async () => {
    for (let request = 0; request < 30; request++) {
      const path = request % 2 === 0 ? "/" : "/api/v1/courses";
      expect((await fetch(`${server.url}${path}`)).status, path).toBe(200);
    }
  });

  it("signs a learner up (the email delivered through the queue) and in", async () => {
    const email = `workerd-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const credentials = { email, password: "a passphrase in workerd" };
    const headers = { "Content-Type": "application/json" };
    const registered = await fetch(`${server.url}/api/v1/auth/register`, {
      method: "POST",
      headers,
      body: JSON.stringify({ ...credentials, name: "Worker" }),
    });
    expect(registered.status).toBe(202);
    // wrangler.toml sends email jobs through the Queue; Miniflare runs the consumer locally.
    let status: string | undefined;
    for (let attempt = 0; attempt < 40 && status !== "sent"; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const mailbox = await (await fetch(`${server.url}/api/v1/dev/mail?to=${encodeURIComponent(email)}`)).json();
      status = mailbox.items[0]?.status;
    }
    expect(status).toBe("sent");
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: "POST",
      headers,
      body: JSON.stringify(credentials),
    });
    expect(login.status).toBe(200);
    expect(login.headers.get("Set-Cookie")).toContain("refresh_token=");
  });

  it("answers unknown API routes with problem+json and unknown pages with the 404 page", async () => {
    const api = await fetch(`${server.url}/api/v1/nothing-here`);
    expect(api.status).toBe(404);
    expect(api.headers.get("Content-Type")).toContain("application/problem+json");
    const page = await fetch(`${server.url}/nothing-here`);
    expect(page.status).toBe(404);
    expect(page.headers.get("Content-Type")).toContain("text/html");
  });
});
