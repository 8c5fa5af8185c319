/** Site paths as the CMS writes them: "/", "/about/", "/articles/hello/". */

/** The html_path of the catch-all route's segments (already URL-decoded by Next.js). */
export function htmlPathFromSegments(segments: string[] | undefined): string {
  return "/" + (segments ?? []).map((segment) => `${segment}/`).join("");
}

/** Listings page through static paths ("/articles/page/2/"), so every page of one is cached. */
const PAGED = /^(\/(?:.*\/)?)page\/([1-9][0-9]{0,5})\/$/;

/** `{base: "/articles/", number: 2}` for "/articles/page/2/"; null for any other path. */
export function listingPageOf(path: string): { base: string; number: number } | null {
  const match = PAGED.exec(path);
  return match?.[1] && match[2] ? { base: match[1], number: Number(match[2]) } : null;
}

/** An internal path safe to redirect to: "/x/", never "//evil.example" or "/\\evil". */
export function isSafeLocalPath(path: string | null | undefined): path is string {
  return typeof path === "string" && path.startsWith("/") && !path.startsWith("//")
    && !path.includes("\\") && !/[\u0000-\u001f]/.test(path);
}

/** Where a CMS link points on the site, or null if it points nowhere public. */
export function linkHref(link: { page: { html_path: string | null } | null; url: string | null } | null):
  string | null {
  if (!link) return null;
  return link.page?.html_path ?? link.url ?? null;
}
