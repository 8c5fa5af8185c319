/**
 * The tags of the renderer's cache entries: one per CMS answer it caches. The CMS records
 * which dependency names each answer shows (cms/publishing/renderer_tags.py) and, after a
 * change, sends POST /api/revalidate the tags of exactly the entries that show it.
 */
import openapi from "@/lib/openapi.json";

export const NAVIGATION_TAG = "navigation";
export const SITEMAP_TAG = "sitemap";

const limits = openapi.components.schemas.RevalidateRequest.properties;
/** Next.js ignores longer tags; the revalidate route refuses them (from the OpenAPI document). */
export const MAX_TAG_LENGTH = limits.tags.items.maxLength;
/** Tags or paths per revalidate request (from the OpenAPI document). */
export const MAX_ITEMS = limits.tags.maxItems;

/** The entry of the by-path answer for `htmlPath` ("/articles/hello/", "/articles/page/2/"). */
export function pathTag(htmlPath: string): string {
  return `path:${htmlPath}`;
}

/**
 * The tags of everything the site's response for `pathname` (as requested, percent-encoded)
 * is made of, for an HTTP cache in front that purges by tag (Varnish's `xkey`): its page's
 * entry and the menu every page shows. A listing's page ("/articles/page/2/") is an entry
 * of its own: the CMS records under its tag what it shows (the listing's children among
 * them), so the renderer needs to know nothing about listings here.
 */
export function responseTags(pathname: string): string[] {
  if (/^\/sitemap(\/[^/]+)?\.xml$/.test(pathname)) return [SITEMAP_TAG];
  let htmlPath: string;
  try {
    htmlPath = decodeURIComponent(pathname);
  } catch {
    return [NAVIGATION_TAG];
  }
  return [pathTag(htmlPath), NAVIGATION_TAG];
}
