/**
 * Cache tags on the renderer's fetches: the contract with the CMS, which sends these
 * same strings to POST /api/revalidate after publish, unpublish, move or delete.
 */

export const NAVIGATION_TAG = "navigation";
export const SITEMAP_TAG = "sitemap";
/** Next.js ignores tags longer than this; the revalidate route refuses them. */
export const MAX_TAG_LENGTH = 256;

/** The by-path document of the page at `htmlPath` ("/articles/hello/"). */
export function pathTag(htmlPath: string): string {
  return `path:${htmlPath}`;
}

/**
 * A page whose document lists other pages (the article index) changes whenever any
 * page in the tree does; that is exactly when the CMS revalidates "sitemap".
 */
export function listingTags(htmlPath: string): string[] {
  return [pathTag(htmlPath), SITEMAP_TAG];
}
