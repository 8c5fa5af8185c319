/**
 * The tags of the renderer's cache entries: one per CMS answer it caches. The CMS records
 * which dependency names each answer shows (cms/publishing/renderer_tags.py) and, after a
 * change, sends POST /api/revalidate the tags of exactly the entries that show it.
 *
 * One renderer may serve several sites (lib/site.ts), so every tag names its site:
 * `<site>|path:/about/`, `<site>|navigation`, `<site>|sitemap`, where `<site>` is the value
 * the renderer sends the CMS as `?site=` ("docs.example.com"). The CMS qualifies the tags
 * it sends the same way (siteTag).
 */
import { createHash } from "node:crypto";

import {
  DIGEST_PREFIX, MAX_ITEMS, MAX_TAG_LENGTH, NAVIGATION_TAG, PATH_PREFIX, SITEMAP_TAG, SITE_SEPARATOR,
} from "@/lib/cache-tags.generated";

// Generated from the CMS's definitions (`make types`), never copied: the names the CMS
// records and sends, and the limits of a revalidate request (its RevalidateRequest schema).
export { MAX_ITEMS, MAX_TAG_LENGTH, NAVIGATION_TAG, SITEMAP_TAG };

/** `tag` of `site`'s entries: "docs.example.com|navigation". The one place tags are qualified. */
export function siteTag(site: string, tag: string): string {
  return fitted(`${site}${SITE_SEPARATOR}${tag}`);
}

/**
 * `tag`, or past MAX_TAG_LENGTH (which Next.js ignores) "sha256:" and the hex SHA-256 of
 * its UTF-8, as the CMS records it (`fitted` in cms/publishing/renderer_tags.py): a page's
 * address may be longer than a tag. Both count length as JavaScript does, in UTF-16 units.
 */
function fitted(tag: string): string {
  if (tag.length <= MAX_TAG_LENGTH) return tag;
  return `${DIGEST_PREFIX}${createHash("sha256").update(tag, "utf8").digest("hex")}`;
}

/** The entry of the by-path answer for `htmlPath` ("/articles/hello/", "/articles/page/2/"). */
export function pathTag(site: string, htmlPath: string): string {
  return siteTag(site, `${PATH_PREFIX}${htmlPath}`);
}

/** The entry of the site's menu and footer. */
export function navigationTag(site: string): string {
  return siteTag(site, NAVIGATION_TAG);
}

/** The entries of the site's sitemap pages. */
export function sitemapTag(site: string): string {
  return siteTag(site, SITEMAP_TAG);
}

/**
 * The tags of everything `site`'s response for `pathname` (as requested, percent-encoded)
 * is made of, for an HTTP cache in front that purges by tag (Varnish's `xkey`): its page's
 * entry and the menu every page shows. A listing's page ("/articles/page/2/") is an entry
 * of its own: the CMS records under its tag what it shows (the listing's children among
 * them), so the renderer needs to know nothing about listings here.
 */
export function responseTags(site: string, pathname: string): string[] {
  if (/^\/sitemap(\/[^/]+)?\.xml$/.test(pathname)) return [sitemapTag(site)];
  let htmlPath: string;
  try {
    htmlPath = decodeURIComponent(pathname);
  } catch {
    return [navigationTag(site)];
  }
  return [pathTag(site, htmlPath), navigationTag(site)];
}
