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

/** The entry of the by-path answer for `htmlPath` ("/articles/hello/"), every listing page included. */
export function pathTag(htmlPath: string): string {
  return `path:${htmlPath}`;
}
