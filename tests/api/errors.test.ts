import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { localCheckoutPage } from "../../api/payments/local-page.ts";
import { createTestApp } from "../support/app.ts";

const problemType = "application/problem+json";

describe("error shapes", () => {
  it("answer an unknown route with 404 not_found as problem+json carrying the request id", async () => {
    const { app } = await createTestApp();
    const response = await app.request("/api/v1/no-such-thing");
    expect(response.status).toBe(404);
    expect(response.headers.get("Content-Type")).toContain(problemType);
    const body = await response.json();
    expect(body).toMatchObject({ status: 404, code: "not_found", title: "Not found" });
    expect(body.requestId).toBe(response.headers.get("X-Request-Id"));
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("echo a well-formed incoming request id and replace a hostile one", async () => {
    const { app } = await createTestApp();
    const kept = await app.request("/health/live", { headers: { "X-Request-Id": "trace-123.abc" } });
    expect(kept.headers.get("X-Request-Id")).toBe("trace-123.abc");
    const replaced = await app.request("/health/live", { headers: { "X-Request-Id": "<script>alert(1)</script>" } });
    expect(replaced.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuse a body over the limit with 413 before reading it", async () => {
    const { app } = await createTestApp({ config: { maxBodyBytes: 1024 } });
    const response = await app.request("/api/v1/categories", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ padding: "x".repeat(4096) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ status: 413, code: "payload_too_large" });
  });

  it("refuse a streamed body that grows past the limit without a Content-Length", async () => {
    const { app } = await createTestApp({ config: { maxBodyBytes: 1024 } });
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode("y".repeat(512)));
        controller.close();
      },
    });
    const response = await app.request(
      new Request("http://localhost/api/v1/categories", {
        method: "POST",
        body: chunks,
        // @ts-expect-error Node's fetch requires duplex for a streamed body; the DOM types do not know it.
        duplex: "half",
      }),
    );
    expect(response.status).toBe(413);
  });

  it("answer a method a route does not have with 404 problem+json, not a bare text", async () => {
    const { app } = await createTestApp();
    const response = await app.request("/api/v1/categories", { method: "DELETE" });
    expect(response.status).toBe(404);
    expect(response.headers.get("Content-Type")).toContain(problemType);
  });

  it("send security headers on API responses", async () => {
    const { app } = await createTestApp();
    const response = await app.request("/api/v1/categories");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Strict-Transport-Security")).toContain("max-age=");
    expect(response.headers.get("X-Frame-Options")).toBe("DENY");
    expect(response.headers.get("Content-Security-Policy")).toMatch(/^default-src 'none'; .*frame-ancestors 'none'$/);
  });

  it("let the local checkout page's stylesheet, and nothing else inline, through the API's policy", async () => {
    const { app } = await createTestApp();
    const policy = (await app.request("/api/v1/categories")).headers.get("Content-Security-Policy")!;
    const page = localCheckoutPage({ sessionId: "cs_local_x", courseTitle: "T", amountCents: 100, currency: "usd" });
    const styles = [...page.matchAll(/<style>([^<]*)<\/style>/g)].map(([, css]) => css!);
    expect(styles).toHaveLength(1);
    const hash = createHash("sha256").update(styles[0]!).digest("base64");
    expect(policy).toContain(`style-src 'sha256-${hash}'`);
    expect(page).not.toMatch(/<script|\sstyle=|\son\w+=/);
  });
});

describe("values Postgres cannot take", () => {
  it("refuse NUL in any query parameter with 422 on that parameter, on every route that reads one", async () => {
    const { app } = await createTestApp();
    for (const [path, field] of [["/api/v1/dev/mail?to=a%00b", "to"], ["/api/v1/courses?q=py%00thon", "q"]]) {
      const response = await app.request(path!);
      expect(response.status, path).toBe(422);
      expect(response.headers.get("Content-Type")).toContain(problemType);
      expect((await response.json()).errors).toEqual([{
        path: field,
        code: "unstorable_text",
        message: expect.any(String),
      }]);
    }
  });

  it("answer a path holding NUL or an unpaired surrogate with 404, before any lookup", async () => {
    const { app } = await createTestApp();
    for (
      const path of ["/api/v1/courses/abc%00def", "/api/v1/payments/local/checkout/a%00b", "/api/v1/x%ED%A0%80%00"]
    ) {
      const response = await app.request(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get("Content-Type")).toContain(problemType);
    }
  });
});
