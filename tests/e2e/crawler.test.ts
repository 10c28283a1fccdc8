/** What a logged-out visitor and a crawler without JavaScript get: full HTML, structured data, sitemap. */
import { describe, expect, it } from "vitest";
import { apiJson, baseUrl, screenshot, useBrowser } from "./support/stack.ts";

interface CourseSummary {
  slug: string;
  title: string;
  reviewsCount: number;
  avgRating: number;
}

const browser = useBrowser();

async function reviewedCourse(): Promise<CourseSummary> {
  const page = await apiJson<{ items: CourseSummary[] }>("/courses?sort=rating&limit=5");
  const course = page.items.find((item) => item.reviewsCount > 0);
  if (!course) throw new Error("the seed has no reviewed course");
  return course;
}

describe("crawlers and logged-out visitors", () => {
  it("get the course page as full HTML with valid schema.org Course JSON-LD, Open Graph and a canonical URL", async () => {
    const course = await reviewedCourse();
    const page = await browser.newPage({ javaScript: false });
    const response = await page.goto(`/courses/${course.slug}`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["cache-control"]).toContain("s-maxage=300");

    await expect.poll(() => page.locator("h1").textContent()).toBe(course.title);
    expect(await page.getByRole("heading", { name: "Curriculum" }).count()).toBe(1);
    expect(await page.locator(".review-list li").count()).toBeGreaterThan(0);
    expect(await page.locator('link[rel="canonical"]').getAttribute("href")).toBe(
      `${baseUrl()}/courses/${course.slug}`,
    );
    expect(await page.locator('meta[property="og:title"]').getAttribute("content")).toBe(course.title);
    expect(await page.locator('meta[name="twitter:card"]').count()).toBe(1);

    const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? "");
    expect(jsonLd).toMatchObject({
      "@context": "https://schema.org",
      "@type": "Course",
      name: course.title,
      provider: { "@type": "Organization", name: "Lectern" },
      offers: { "@type": "Offer", priceCurrency: "USD" },
      aggregateRating: { "@type": "AggregateRating", reviewCount: course.reviewsCount },
    });
    expect(jsonLd.aggregateRating.ratingValue).toBeCloseTo(course.avgRating, 2);
    expect(typeof jsonLd.description).toBe("string");
    await page.context().close();
  });

  it("search (with a typo), filters and next-page links work as plain HTML forms and links", async () => {
    const page = await browser.newPage({ javaScript: false });
    await page.goto("/");
    await screenshot(page, "home");
    await page.locator("#home-search").fill("javascrpt esentials");
    await page.locator("#home-search").press("Enter");
    await page.waitForURL(/\/courses\?q=/);
    expect(await page.getByRole("link", { name: "Modern JavaScript Essentials" }).count()).toBe(1);

    await page.goto("/courses");
    await page.getByLabel("Price").selectOption("true");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/free=true/);
    const prices = await page.locator(".course-card .price").allTextContents();
    expect(prices.length).toBeGreaterThan(0);
    expect(new Set(prices)).toEqual(new Set(["Free"]));

    await page.goto("/courses?sort=newest");
    const firstPage = await page.locator(".course-card .title").allTextContents();
    await screenshot(page, "catalog");
    await page.getByRole("link", { name: "Next page" }).click();
    await page.waitForURL(/cursor=/);
    const secondPage = await page.locator(".course-card .title").allTextContents();
    expect(secondPage.length).toBeGreaterThan(0);
    expect(secondPage.filter((title) => firstPage.includes(title))).toEqual([]);
    await page.context().close();
  });

  it("category pages list their courses, and unknown pages answer 404 with a way back", async () => {
    const page = await browser.newPage({ javaScript: false });
    const categories = await apiJson<{ slug: string; name: string }[]>("/categories");
    const category = categories[0]!;
    expect((await page.goto(`/categories/${category.slug}`))?.status()).toBe(200);
    expect(await page.locator("h1").textContent()).toBe(category.name);
    const missingCourse = await page.goto("/courses/no-such-course");
    expect([missingCourse?.status(), missingCourse?.statusText()]).toEqual([404, "Not Found"]);
    expect(await page.getByRole("heading", { name: "Page not found" }).count()).toBe(1);
    const missingPage = await page.goto("/nothing/here");
    expect([missingPage?.status(), missingPage?.statusText()]).toEqual([404, "Not Found"]);
    await page.context().close();
  });

  it("mark a course's own words with the language it is taught in, inside the English interface", async () => {
    const { items } = await apiJson<{ items: { slug: string; title: string }[] }>("/courses?language=ru&limit=1");
    const page = await browser.newPage({ javaScript: false });
    await page.goto(`/courses/${items[0]!.slug}`);
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.locator("h1").getAttribute("lang")).toBe("ru");
    expect(await page.locator(".prose").getAttribute("lang")).toBe("ru");
    await page.goto("/courses?language=ru");
    const titles = page.locator(".course-card .title");
    expect(await titles.count()).toBeGreaterThan(0);
    expect(await titles.evaluateAll((found) => found.every((title) => title.getAttribute("lang") === "ru"))).toBe(true);
    await page.context().close();
  });

  it("the sitemap lists every published course and category; robots.txt points to it", async () => {
    const sitemap = await (await fetch(`${baseUrl()}/sitemap.xml`)).text();
    const locations = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => match[1]);
    let cursor: string | null = null;
    const slugs: string[] = [];
    do {
      const page: { items: CourseSummary[]; nextCursor: string | null } = await apiJson(
        `/courses?limit=50${cursor ? `&cursor=${cursor}` : ""}`,
      );
      slugs.push(...page.items.map((item) => item.slug));
      cursor = page.nextCursor;
    } while (cursor);
    expect(slugs.length).toBeGreaterThan(10);
    for (const slug of slugs) expect(locations).toContain(`${baseUrl()}/courses/${slug}`);
    const categories = await apiJson<{ slug: string }[]>("/categories");
    for (const { slug } of categories) expect(locations).toContain(`${baseUrl()}/categories/${slug}`);

    const robots = await (await fetch(`${baseUrl()}/robots.txt`)).text();
    expect(robots).toContain(`Sitemap: ${baseUrl()}/sitemap.xml`);
  });
});
