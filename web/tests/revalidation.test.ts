// @vitest-environment node
import { describe, expect, it } from "vitest";

import {
  MAX_ITEMS, MAX_TAG_LENGTH, NAVIGATION_TAG, SITEMAP_TAG, navigationTag, pathTag, responseTags,
  siteTag, sitemapTag,
} from "@/lib/cache-tags";
import openapi from "@/lib/openapi.json";
import { htmlPathFromSegments, isSafeLocalPath } from "@/lib/paths";
import { bearerToken, parseRevalidateBody, readCapped, secretMatches } from "@/lib/revalidation";

describe("cache tags", () => {
  it("match the contract with the CMS: each names its site", () => {
    expect(pathTag("docs.localhost", "/articles/hello/")).toBe("docs.localhost|path:/articles/hello/");
    expect(navigationTag("docs.localhost")).toBe("docs.localhost|navigation");
    expect(sitemapTag("example.com")).toBe("example.com|sitemap");
    expect(siteTag("example.com", NAVIGATION_TAG)).toBe(navigationTag("example.com"));
    expect([NAVIGATION_TAG, SITEMAP_TAG]).toEqual(["navigation", "sitemap"]);
  });

  it("name what a site response is made of, for the HTTP cache", () => {
    const site = "example.com";
    expect(responseTags(site, "/about/")).toEqual(["example.com|path:/about/", "example.com|navigation"]);
    expect(responseTags(site, "/%C3%BCber-uns/"))
      .toEqual(["example.com|path:/über-uns/", "example.com|navigation"]);
    // A listing's page is its own entry: the CMS records its listing's changes under it.
    expect(responseTags(site, "/articles/page/2/"))
      .toEqual(["example.com|path:/articles/page/2/", "example.com|navigation"]);
    expect(responseTags(site, "/sitemap.xml")).toEqual(["example.com|sitemap"]);
    expect(responseTags(site, "/sitemap/2.xml")).toEqual(["example.com|sitemap"]);
    expect(responseTags(site, "/%E0%A4%A/")).toEqual(["example.com|navigation"]);
    // The same path of another site is another entry.
    expect(responseTags("docs.example.com", "/about/")[0]).toBe("docs.example.com|path:/about/");
  });

  it("stand for a page whose address is longer than a tag may be by a digest the CMS makes alike", () => {
    const prefix = "localhost|path:/";
    const longest = `/${"a".repeat(MAX_TAG_LENGTH - prefix.length)}`;
    expect(pathTag("localhost", longest)).toBe(`localhost|path:${longest}`);
    const longer = pathTag("localhost", `${longest}b/`);
    expect(longer).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(longer).not.toBe(pathTag("localhost", `${longest}c/`));
    // Counted in UTF-16 units, as Next.js counts: 120 × 𠀀 is 240 (cms/publishing/tests/
    // test_recording.py makes the same tag a digest).
    expect(pathTag("localhost", `/${"𠀀".repeat(120)}-x/`)).toMatch(/^sha256:/);
    expect(responseTags("localhost", encodeURI(`${longest}b/`))[0]).toBe(longer);
  });

  it("have the limits of the OpenAPI document's RevalidateRequest (one definition, generated)", () => {
    const limits = openapi.components.schemas.RevalidateRequest.properties;
    expect([MAX_ITEMS, MAX_TAG_LENGTH]).toEqual([limits.tags.maxItems, limits.tags.items.maxLength]);
    expect(limits.paths.maxItems).toBe(MAX_ITEMS);
    expect([MAX_ITEMS, MAX_TAG_LENGTH]).toEqual([1000, 256]);
  });
});

describe("secret", () => {
  it("accepts only the exact secret", () => {
    expect(secretMatches("s3cret-value", "s3cret-value")).toBe(true);
    expect(secretMatches("s3cret-valuf", "s3cret-value")).toBe(false);
    expect(secretMatches("", "s3cret-value")).toBe(false);
    expect(secretMatches("s3cret-value-and-more", "s3cret-value")).toBe(false);
  });

  it("refuses everything when no secret is configured", () => {
    expect(secretMatches("", "")).toBe(false);
  });

  it("reads a bearer token", () => {
    expect(bearerToken("Bearer abc")).toBe("abc");
    expect(bearerToken("Basic abc")).toBe("");
    expect(bearerToken(null)).toBe("");
  });
});

describe("revalidate body", () => {
  it("accepts tags and paths", () => {
    expect(parseRevalidateBody({ tags: ["path:/a/", "navigation", "navigation"], paths: ["/a/"] }))
      .toEqual({ ok: true, value: { tags: ["path:/a/", "navigation"], paths: ["/a/"] } });
  });

  it.each([
    [null], [[]], ["tags"], [{}], [{ tags: [] }], [{ tags: "navigation" }], [{ tags: [1] }],
    [{ tags: [""] }], [{ paths: ["relative/"] }], [{ paths: ["//evil.example/"] }],
    [{ tags: ["x".repeat(257)] }], [{ tags: ["a"], extra: 1 }],
  ])("refuses %j", (body) => {
    expect(parseRevalidateBody(body).ok).toBe(false);
  });
});

describe("paths", () => {
  it("turns route segments into html paths", () => {
    expect(htmlPathFromSegments(undefined)).toBe("/");
    expect(htmlPathFromSegments(["articles", "hello"])).toBe("/articles/hello/");
  });

  it("only redirects within the site", () => {
    expect(isSafeLocalPath("/about/")).toBe(true);
    expect(isSafeLocalPath("//evil.example/")).toBe(false);
    expect(isSafeLocalPath("/\\evil.example")).toBe(false);
    expect(isSafeLocalPath("https://evil.example/")).toBe(false);
    expect(isSafeLocalPath(null)).toBe(false);
  });
});

describe("body size", () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    new Request("http://renderer/api/revalidate", { method: "POST", body, headers });

  it("reads a body within the cap", async () => {
    expect(await readCapped(post('{"tags":["navigation"]}'), 100)).toBe('{"tags":["navigation"]}');
  });

  it("stops reading past the cap, whatever the declared length", async () => {
    expect(await readCapped(post("x".repeat(101)), 100)).toBeNull();
    expect(await readCapped(post("{}", { "content-length": "999999999" }), 100)).toBeNull();
  });
});
