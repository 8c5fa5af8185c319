/**
 * How a site tells the platform which layout renders a page: each site's registry
 * (`sites/<name>/registry.ts`) maps the `meta.type` of its page types ("app.ClassName",
 * as the CMS writes it) to a `PageType`, `sites/index.ts` gathers every site's registry,
 * and the app merges them (app/page-types.ts) into the `PageTypes` the page routes pass
 * down. The platform only ever looks a type up in the map it is given; it names none, and
 * never imports the sites (they import this module: eslint.config.mjs keeps it one way).
 */
import type { ReactNode } from "react";

import type { KnownPageDocument, PageDocument } from "@/lib/types";

/** Every `meta.type` the CMS's OpenAPI document knows, over all installed sites. */
export type KnownPageType = KnownPageDocument["meta"]["type"];

/** The document of one page type: `DocumentOf<"blog.PostPage">`. */
export type DocumentOf<T extends KnownPageType> = Extract<KnownPageDocument, { meta: { type: T } }>;

export type PageType<D> = {
  /** Renders the whole page below the site's header, above its footer. */
  layout: (props: { page: D }) => ReactNode;
  /** og:type; "website" unless given. */
  openGraphType?: "website" | "article";
};

/**
 * A site's registry: one entry for each page type of its Wagtail app `App` ("blog" for
 * "blog.PostPage"), and none other, so that `npm run typecheck` names a page type left
 * without a layout.
 */
export type SitePageTypes<App extends string> = {
  [T in Extract<KnownPageType, `${App}.${string}`>]: PageType<DocumentOf<T>>;
};

/** An entry as the platform sees it: the registry's key already matched the document. */
export type AnyPageType = PageType<PageDocument>;

/**
 * The entry for `type` in `registry`, or undefined for a type no site has a layout for
 * (a page type added in the CMS before its layout, or an app the renderer does not know).
 */
export function findPageType(registry: object, type: string): AnyPageType | undefined {
  // Own keys only: a type named "constructor" or "toString" is not in any registry.
  return Object.hasOwn(registry, type)
    ? (registry as Record<string, AnyPageType>)[type]
    : undefined;
}

/** Every site's page types by `meta.type`, merged (`mergePageTypes`); a site's own is `SitePageTypes`. */
export type PageTypes = Readonly<Record<string, AnyPageType>>;

/**
 * Every registry of `registries` (by site name, as sites/index.ts exports them) in one map:
 * `meta.type` names its app, so no two sites share an entry.
 */
export function mergePageTypes(registries: Readonly<Record<string, object>>): PageTypes {
  return Object.assign({}, ...Object.values(registries)) as PageTypes;
}

/** The entry of `pageTypes` for the document's type; undefined gets the generic layout. */
export function pageTypeOf(pageTypes: object, page: PageDocument): AnyPageType | undefined {
  return findPageType(pageTypes, page.meta.type);
}
