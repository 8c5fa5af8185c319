import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { SearchForm } from "@/components/site/SearchForm";
import { SearchResults, searchHref } from "@/components/site/SearchResults";
import type { SearchResults as Results } from "@/lib/types";

afterEach(cleanup);

function results(overrides: Partial<Results> = {}): Results {
  return {
    query: "mortar", page: 1, per_page: 10, total: 1, more: false, total_pages: 1,
    results: [{ id: 7, title: "Walls", html_path: "/walls/", type: "example.ContentPage",
      snippet: "Lime <mark>mortar</mark> &amp; brick" }],
    ...overrides,
  };
}

describe("SearchForm", () => {
  it("is a labelled GET form to /search/ with the query in the box", () => {
    render(<SearchForm id="q1" query="lime mortar" />);
    const box = screen.getByLabelText("Search the site") as HTMLInputElement;
    expect(box.name).toBe("q");
    expect(box.value).toBe("lime mortar");
    const form = screen.getByRole("search") as HTMLFormElement;
    expect(form.getAttribute("action")).toBe("/search/");
    expect(form.method).toBe("get");
    expect(screen.getByRole("button", { name: "Search" })).toBeTruthy();
  });
});

describe("SearchResults", () => {
  it("links each result and keeps only <mark> from its snippet", () => {
    const snippet = "Lime <mark>mortar</mark> &amp; brick<script>alert(1)</script><b>bold</b>";
    const withScript = results();
    withScript.results = withScript.results.map((result) => ({ ...result, snippet }));
    const { container } = render(<SearchResults results={withScript} />);
    const link = screen.getByRole("link", { name: "Walls" });
    expect(link.getAttribute("href")).toBe("/walls/");
    expect(container.querySelector("mark")?.textContent).toBe("mortar");
    expect(container.querySelector("script")).toBeNull();
    expect(container.querySelector("b")).toBeNull();
    expect(screen.getByRole("status").textContent).toContain("1 page matches");
  });

  it("says when nothing matches", () => {
    render(<SearchResults results={results({ total: 0, results: [] })} />);
    expect(screen.getByRole("status").textContent).toBe("No pages match “mortar”.");
  });

  it("says there are more than it counts", () => {
    render(<SearchResults results={results({ total: 500, more: true, total_pages: 50 })} />);
    expect(screen.getByRole("status").textContent).toBe("More than 500 pages match “mortar”.");
  });

  it("links the other pages of results, the query kept", () => {
    render(<SearchResults results={results({ page: 2, total: 25, total_pages: 3 })} />);
    expect(screen.getByRole("link", { name: "← Previous" }).getAttribute("href"))
      .toBe("/search/?q=mortar");
    expect(screen.getByRole("link", { name: "Next →" }).getAttribute("href"))
      .toBe("/search/?q=mortar&page=3");
    expect(searchHref("a&b c", 2)).toBe("/search/?q=a%26b+c&page=2");
  });
});
