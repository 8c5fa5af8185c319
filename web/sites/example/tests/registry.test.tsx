import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { PAGE_TYPES } from "@/app/page-types";
import { PageLayout } from "@/components/pages/PageLayout";
import { type Listing, listingsOf } from "@/lib/listings";
import { type DocumentOf, pageTypeOf } from "@/lib/page-types";
import { pageTypes } from "@/sites/example/registry";
import { image, pageMeta } from "@/tests/fixtures";

afterEach(cleanup);

function articleIndex(page: number, totalPages: number): DocumentOf<"example.ArticleIndexPage"> {
  const articles: Listing<DocumentOf<"example.ArticleIndexPage">["articles"]["items"][number]> = {
    items: [{ id: 21, title: "Hello", type: "example.ArticlePage", html_path: "/articles/hello/",
      date: "2026-03-04", intro: "An intro", hero_image: image(), tags: [] }],
    page, per_page: 10, total: 11, total_pages: totalPages,
  };
  return { id: 20, title: "Articles", intro: "<p>All of them</p>",
    meta: { ...pageMeta("example.ArticleIndexPage", "/articles/"), type: "example.ArticleIndexPage" }, articles };
}

describe("the example site's registry", () => {
  it("is what the platform finds for the example's page types", () => {
    for (const [type, entry] of Object.entries(pageTypes)) {
      expect(pageTypeOf(PAGE_TYPES, { id: 1, title: "A", meta: pageMeta(type) })).toBe(entry);
    }
  });

  it("shares articles as articles, other pages as the website", () => {
    expect(pageTypes["example.ArticlePage"].openGraphType).toBe("article");
    expect(pageTypes["example.HomePage"].openGraphType ?? "website").toBe("website");
  });
});

describe("ArticleIndexPage", () => {
  it("lists the articles of its listing's page, with links to the others", () => {
    const page = articleIndex(1, 2);
    expect(listingsOf(page).map(([name]) => name)).toEqual(["articles"]);
    const { container } = render(<PageLayout page={page} pageTypes={PAGE_TYPES} />);
    expect(container.querySelector("h1")?.textContent).toBe("Articles");
    expect(container.querySelector("h2 a")?.getAttribute("href")).toBe("/articles/hello/");
    expect(container.querySelector("time")?.textContent).toBe("4 March 2026");
    expect(container.querySelector("a[rel=next]")?.getAttribute("href")).toBe("/articles/page/2/");
    expect(container.querySelector("a[rel=prev]")).toBeNull();
  });
});
