import { freshIp, type TestApp } from "../support/app.ts";

/** Catalog reads (a course, a list, the categories) from one client, as fast as they are answered; the statuses. */
export async function catalogReadLoad(t: TestApp, slug: string, seconds: number): Promise<number[]> {
  const ip = freshIp();
  const statuses: number[] = [];
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const batch = await Promise.all(
      [`/api/v1/courses/${slug}`, "/api/v1/courses?limit=5", "/api/v1/categories"].map((path) =>
        t.app.request(path, { headers: { "CF-Connecting-IP": ip } })
      ),
    );
    statuses.push(...batch.map((response) => response.status));
  }
  return statuses;
}
