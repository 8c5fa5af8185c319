// @vitest-environment node
import { describe, expect, it } from "vitest";

import { LISTING_FIELDS, isListing, listingsOf } from "@/lib/listings";
import openapi from "@/lib/openapi.json";
import type { PageDocument } from "@/lib/types";
import { pageMeta } from "@/tests/fixtures";

const item = { id: 7, title: "Hello", type: "news.Story", html_path: "/news/hello/", date: "2026-03-04" };
const listing = { items: [item], page: 2, per_page: 10, total: 11, total_pages: 2 };

describe("isListing", () => {
  it("recognises a listing by its shape, empty or not", () => {
    expect(isListing(listing)).toBe(true);
    expect(isListing({ ...listing, items: [], page: 1, total: 0, total_pages: 1 })).toBe(true);
    expect(isListing({ ...listing, items: [{ ...item, html_path: null }] })).toBe(true);
  });

  it("takes no other field of a page document for one", () => {
    expect(isListing(null)).toBe(false);
    expect(isListing("text")).toBe(false);
    expect(isListing([{ type: "heading", id: "a", value: { text: "X", level: 2 } }])).toBe(false);
    expect(isListing({ id: 5, alt: "", width: 10, height: 10, src: "/x.jpg", srcset: [] })).toBe(false);
    expect(isListing({ page: { id: 1, title: "A", html_path: "/a/" }, url: null })).toBe(false);
  });

  it("wants every field of the CMS's listing, and nothing more", () => {
    const partial: Record<string, unknown> = { ...listing };
    delete partial.total_pages;
    expect(isListing(partial)).toBe(false);
    expect(isListing({ ...listing, extra: 1 })).toBe(false);
    expect(isListing({ ...listing, page: "2" })).toBe(false);
    expect(isListing({ ...listing, page: 1.5 })).toBe(false);
    expect(isListing({ ...listing, items: [{ id: 7 }] })).toBe(false);
    expect(isListing({ ...listing, items: {} })).toBe(false);
  });
});

describe("listingsOf", () => {
  it("finds the listings of any page type, under any field name", () => {
    const page = { id: 3, title: "News", meta: pageMeta("news.Desk", "/news/"), intro: "",
      stories: listing, body: [], more: { ...listing, items: [] } } as PageDocument;
    expect(listingsOf(page).map(([name]) => name)).toEqual(["stories", "more"]);
    expect(listingsOf({ id: 1, title: "A", meta: pageMeta("news.Story") } as PageDocument)).toEqual([]);
  });
});

/** Where each listing is in the page schemas ("ArticleIndexPage.articles"), its fields, the required ones. */
function listingSchemas(): [string, string[], string[]][] {
  type Schema = { properties?: Record<string, Schema>; required?: string[]; type?: unknown };
  const schemas = openapi.components.schemas as Record<string, Schema>;
  return Object.entries(schemas).flatMap(([pageName, schema]) =>
    Object.entries(schema.properties ?? {})
      .filter(([, field]) => field.type === "object" && field.properties?.items?.type === "array")
      .map(([name, field]): [string, string[], string[]] =>
        [`${pageName}.${name}`, Object.keys(field.properties ?? {}), field.required ?? []]));
}

describe("the CMS's listing schema", () => {
  it("has the fields the renderer recognises a listing by", () => {
    const expected = ["items", ...LISTING_FIELDS].sort();
    for (const [where, fields, required] of listingSchemas()) {
      expect(fields.sort(), where).toEqual(expected);
      expect(required.sort(), where).toEqual(expected);
    }
  });
});
