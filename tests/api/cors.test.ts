import { describe, expect, it } from "vitest";
import { createTestApp } from "../support/app.ts";

const site = "https://learn.example.test";

describe("CORS", () => {
  it("allows credentialed requests from an allow-listed origin", async () => {
    const { app } = await createTestApp({ config: { corsOrigins: [site] } });
    const preflight = await app.request("/api/v1/categories", {
      method: "OPTIONS",
      headers: {
        Origin: site,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBe(site);
    expect(preflight.headers.get("Access-Control-Allow-Credentials")).toBe("true");
    expect(preflight.headers.get("Access-Control-Allow-Methods")).toContain("POST");

    const simple = await app.request("/api/v1/categories", { headers: { Origin: site } });
    expect(simple.headers.get("Access-Control-Allow-Origin")).toBe(site);
    expect(simple.headers.get("Access-Control-Expose-Headers")).toContain("X-Request-Id");
    expect(simple.headers.get("Vary")).toContain("Origin");
  });

  it("grants nothing to a foreign origin", async () => {
    const { app } = await createTestApp({ config: { corsOrigins: [site] } });
    const preflight = await app.request("/api/v1/categories", {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBeNull();
    expect(preflight.headers.get("Access-Control-Allow-Credentials")).toBeNull();
    expect(preflight.status).toBe(404);
    const simple = await app.request("/api/v1/categories", { headers: { Origin: "https://evil.example" } });
    expect(simple.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});
