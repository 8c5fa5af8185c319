import { cleanup, render } from "@testing-library/react";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

import { PAGE_TYPES } from "@/app/page-types";
import { PageLayout } from "@/components/pages/PageLayout";
import openapi from "@/lib/openapi.json";
import { findPageType, mergePageTypes, pageTypeOf } from "@/lib/page-types";
import type { PageDocument } from "@/lib/types";
import * as sites from "@/sites";
import { pageMeta } from "@/tests/fixtures";

afterEach(cleanup);

const Layout = () => null;

describe("findPageType", () => {
  const registry = { "news.Story": { layout: Layout, openGraphType: "article" } };

  it("finds a registered type", () => {
    expect(findPageType(registry, "news.Story")?.openGraphType).toBe("article");
  });

  it("finds nothing for a type no site registered, whatever its name", () => {
    for (const type of ["news.Desk", "Story", "", "toString", "constructor", "__proto__", "hasOwnProperty"]) {
      expect(findPageType(registry, type), type).toBeUndefined();
    }
  });
});

describe("mergePageTypes", () => {
  it("keeps every entry of every registry, each under its own type", () => {
    const story = { layout: Layout, openGraphType: "article" as const };
    const guide = { layout: Layout };
    const merged = mergePageTypes({ news: { "news.Story": story }, docs: { "docs.Guide": guide } });
    expect(merged).toEqual({ "news.Story": story, "docs.Guide": guide });
    expect(findPageType(merged, "docs.Guide")).toBe(guide);
    expect(mergePageTypes({})).toEqual({});
  });
});

describe("pageTypeOf", () => {
  it("gives each type of every site's registry its own entry", () => {
    const registered = Object.values(sites).flatMap((registry) => Object.entries(registry));
    expect(Object.keys(PAGE_TYPES).sort()).toEqual(registered.map(([type]) => type).sort());
    for (const [type, entry] of registered) {
      expect(pageTypeOf(PAGE_TYPES, { id: 1, title: "A", meta: pageMeta(type) } as PageDocument)).toBe(entry);
    }
  });
});

describe("PageLayout", () => {
  it("renders a page type without a layout generically: title, body, listings", () => {
    const page = {
      id: 4, title: "News desk", meta: pageMeta("nosite.NoLayoutPage", "/news/"),
      body: [{ type: "heading", id: "h", value: { text: "Latest", level: 2 } }],
      stories: { items: [{ id: 9, title: "A story", type: "nosite.Story", html_path: "/news/a-story/" },
        { id: 10, title: "A hidden one", type: "nosite.Story", html_path: null }],
      page: 2, per_page: 2, total: 5, total_pages: 3 },
    } as PageDocument;
    const { container } = render(<PageLayout page={page} pageTypes={PAGE_TYPES} />);
    expect(container.querySelector("h1")?.textContent).toBe("News desk");
    expect(container.querySelector("h2")?.textContent).toBe("Latest");
    const links = [...container.querySelectorAll("a")].map((a) => [a.textContent, a.getAttribute("href")]);
    expect(links).toEqual([["A story", "/news/a-story/"], ["← Newer", "/news/"], ["Older →", "/news/page/3/"]]);
    expect(container.textContent).toContain("A hidden one");
    expect(container.textContent).toContain("Page 2 of 3");
  });

  it("renders a page of no known type with only a title", () => {
    const page = { id: 5, title: "Bare", meta: pageMeta("toString", "/bare/") } as PageDocument;
    const { container } = render(<PageLayout page={page} pageTypes={PAGE_TYPES} />);
    expect(container.querySelector("h1")?.textContent).toBe("Bare");
    expect(container.querySelectorAll("a, nav, ul")).toHaveLength(0);
  });
});

describe("the platform", () => {
  const root = join(import.meta.dirname, "..");
  /** Every source file outside the sites, the generated contract and the tests. */
  function platformFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      const rel = relative(root, path);
      if (entry.isDirectory()) {
        return ["node_modules", "sites", "tests"].includes(rel) || entry.name.startsWith(".")
          ? [] : platformFiles(path);
      }
      return /\.(ts|tsx|mjs)$/.test(entry.name) && rel !== "lib/api.generated.ts" ? [path] : [];
    });
  }

  it("names no site's page type", () => {
    type Schema = { properties?: { meta?: { properties?: { type?: { const?: string } } } } };
    const types = Object.values(openapi.components.schemas as Record<string, Schema>)
      .map((schema) => schema.properties?.meta?.properties?.type?.const)
      .filter((type): type is string => typeof type === "string");
    expect(types.length).toBeGreaterThan(0);
    const files = platformFiles(root);
    expect(files.map((file) => relative(root, file))).toContain("app/mortar-site/[site]/[[...path]]/page.tsx");
    for (const file of files) {
      const source = readFileSync(file, "utf8");
      for (const type of types) expect(source.includes(type), `${relative(root, file)} names ${type}`).toBe(false);
    }
  });
});
