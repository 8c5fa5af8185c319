// @vitest-environment node
import { describe, expect, it } from "vitest";

import { childSitemap, childSitemapNumber, sitemapIndex } from "@/lib/sitemap";

describe("sitemap", () => {
  it("is an index of one child sitemap per page of the API", async () => {
    const body = await sitemapIndex("https://example.org", 3).text();
    expect(body).toContain("<sitemapindex");
    expect(body.match(/<loc>/g)).toHaveLength(3);
    expect(body).toContain("<loc>https://example.org/sitemap/3.xml</loc>");
  });

  it("lists pages with their paths encoded once", async () => {
    const body = await childSitemap("https://example.org", [
      { id: 1, html_path: "/über-uns/", last_published_at: "2026-01-01T00:00:00+00:00" },
      { id: 2, html_path: "/a&b/", last_published_at: null },
      { id: 3, html_path: null, last_published_at: null },
    ]).text();
    expect(body).toContain("<loc>https://example.org/%C3%BCber-uns/</loc>"
      + "<lastmod>2026-01-01T00:00:00+00:00</lastmod>");
    expect(body).toContain("<loc>https://example.org/a&amp;b/</loc>");
    expect(body.match(/<url>/g)).toHaveLength(2);
  });

  it("reads child file names strictly", () => {
    expect(childSitemapNumber("2.xml")).toBe(2);
    for (const bad of ["0.xml", "x.xml", "2", "2.xml.gz", "-1.xml", "1234567.xml"]) {
      expect(childSitemapNumber(bad)).toBeNull();
    }
  });
});
