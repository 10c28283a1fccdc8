/**
 * Every page of the site, found from site/src/pages (so a new page is walked without being listed), answers the
 * built Worker with the security headers, and each HTML answer's Content-Security-Policy lists the hash of every
 * inline script and style element in it.
 */
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lessons } from "../../db/schema/index.ts";
import { insertCategory, insertPublishedCourse, insertUser } from "../support/factories.ts";
import { type ServerDatabase, serverDatabase } from "../support/runtime-database.ts";
import type { RunningServer } from "../support/servers.ts";
import { requireFreshBuild, startWorkerd } from "./workerd-server.ts";

const PAGES = fileURLToPath(new URL("../../site/src/pages/", import.meta.url));

let database: ServerDatabase;
let server: RunningServer;
/** The address to request for each dynamic route, and for the 404 page. */
let samples: Record<string, string>;

beforeAll(async () => {
  requireFreshBuild();
  database = await serverDatabase(async (db) => {
    const category = await insertCategory(db);
    const teacher = await insertUser(db, { role: "teacher" });
    const course = await insertPublishedCourse(db, { teacherId: teacher.id, categoryId: category.id });
    const [lesson] = await db.select().from(lessons).where(eq(lessons.courseId, course.id));
    samples = {
      "/404": "/no-such-page",
      "/categories/[slug]": `/categories/${category.slug}`,
      "/courses/[slug]": `/courses/${course.slug}`,
      "/learn/[courseSlug]/[lessonId]": `/learn/${course.slug}/${lesson!.id}`,
      "/teach/courses/[id]": `/teach/courses/${course.id}`,
    };
  });
  server = await startWorkerd(database);
});

afterAll(async () => {
  await server?.stop();
  await database?.close();
});

/** Each route under site/src/pages ("_" files are not routes), as an address to request. */
function siteAddresses(): string[] {
  return readdirSync(PAGES, { recursive: true, encoding: "utf8" })
    .filter((file) => /\.(astro|ts)$/.test(file) && !file.split("/").some((part) => part.startsWith("_")))
    .map((file) => {
      const route = `/${file.replace(/\.(astro|ts)$/, "").replace(/(^|\/)index$/, "")}`;
      const address = samples[route] ?? route;
      if (address.includes("[")) throw new Error(`no sample address for ${route}: add one to samples`);
      return address;
    });
}

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(";").map((directive) => directive.trim().split(/\s+/)).filter(([name]) => name)
      .map(([name, ...sources]) => [name!, sources]),
  );
}

const hashOf = (content: string) => `'sha256-${createHash("sha256").update(content).digest("base64")}'`;

describe("the site's answers from the built Worker", () => {
  it("carry nosniff, DENY framing and a referrer policy; HTML ones a policy that covers their inline code", async () => {
    const addresses = siteAddresses();
    expect(addresses).toEqual(expect.arrayContaining(["/", "/login", "/teach", "/account", "/no-such-page"]));
    for (const address of addresses) {
      const response = await fetch(`${server.url}${address}`);
      const headers = response.headers;
      expect(headers.get("X-Content-Type-Options"), address).toBe("nosniff");
      expect(headers.get("X-Frame-Options"), address).toBe("DENY");
      expect(headers.get("Referrer-Policy"), address).toBe("strict-origin-when-cross-origin");
      if (!headers.get("Content-Type")?.startsWith("text/html")) continue;

      const policy = directives(headers.get("Content-Security-Policy") ?? "");
      expect(Object.fromEntries(policy), address).toMatchObject({
        "default-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
      });
      const scriptSources = policy.get("script-src") ?? [];
      expect(scriptSources, address).not.toContain("'unsafe-inline'");
      expect(scriptSources, address).not.toContain("'unsafe-eval'");
      expect(policy.get("style-src") ?? [], address).not.toContain("'unsafe-inline'");

      const html = await response.text();
      // Data blocks (JSON-LD) are not scripts the policy governs.
      const scripts = [
        ...html.matchAll(/<script(?![^>]*\bsrc=)(?![^>]*\btype="application\/ld\+json")[^>]*>([^]*?)<\/script>/g),
      ];
      for (const [, content] of scripts) expect(scriptSources, address).toContain(hashOf(content!));
      for (const [, content] of html.matchAll(/<style[^>]*>([^]*?)<\/style>/g)) {
        expect(policy.get("style-src"), address).toContain(hashOf(content!));
      }
    }
  });
});
