import { describe, expect, it } from "vitest";

import { NAVIGATION_TAG, SITEMAP_TAG, listingTags, pathTag } from "@/lib/cache-tags";
import { htmlPathFromSegments, isSafeLocalPath } from "@/lib/paths";
import { bearerToken, parseRevalidateBody, secretMatches } from "@/lib/revalidation";

describe("cache tags", () => {
  it("match the contract with the CMS", () => {
    expect(pathTag("/articles/hello/")).toBe("path:/articles/hello/");
    expect(listingTags("/articles/")).toEqual(["path:/articles/", "sitemap"]);
    expect([NAVIGATION_TAG, SITEMAP_TAG]).toEqual(["navigation", "sitemap"]);
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
