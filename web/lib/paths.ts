/** Site paths as the CMS writes them: "/", "/about/", "/articles/hello/". */

/**
 * The html_path of the catch-all route's segments: "/über-uns/" for a request to
 * "/%C3%BCber-uns/". Next.js hands dynamic segments over percent-encoded as requested;
 * the CMS's paths are decoded. A segment that does not decode, or decodes to a "/", is
 * kept as it came: no slug can hold a "%" or a "/", so the CMS finds no page there.
 */
export function htmlPathFromSegments(segments: string[] | undefined): string {
  return "/" + (segments ?? []).map((segment) => `${decodeSegment(segment)}/`).join("");
}

function decodeSegment(segment: string): string {
  try {
    const decoded = decodeURIComponent(segment);
    return decoded.includes("/") ? segment : decoded;
  } catch {
    return segment; // malformed percent-encoding ("%E0%A4%A")
  }
}

/**
 * A site path as it goes into a Location header or the sitemap: "/%C3%BCber-uns/" for
 * "/über-uns/". Escapes already there ("%C3%BC", "%2F") are kept, so a path the CMS or an
 * editor gave encoded is not encoded twice; a "%" that starts no escape becomes "%25".
 */
export function encodePath(path: string): string {
  return path.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?#%]/gu,
    (char) => encodeURIComponent(char));
}

/** False for a path whose %-escapes are not UTF-8 ("/caf%E9/", "/%E0%A4%A/"). */
export function isDecodablePath(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
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

/**
 * How a menu entry for `itemPath` stands to the page at `current`: the page itself, a
 * section the page is in ("/articles/" for "/articles/hello/"), or neither. The home page
 * ("/") is only ever the page itself.
 */
export function menuState(itemPath: string | null | undefined, current: string): "page" | "section" | null {
  if (!itemPath) return null;
  if (itemPath === current) return "page";
  return itemPath !== "/" && current.startsWith(itemPath) ? "section" : null;
}
