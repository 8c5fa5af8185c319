/** The site's answer to a redirect the CMS gives (a Wagtail redirect or a sub-route's). */
import { notFound, permanentRedirect, redirect } from "next/navigation";

import { getQueryRedirect } from "@/lib/cms";
import { PAGE_ACCESS_ROUTE } from "@/lib/page-access";
import { encodePath, isSafeLocalPath } from "@/lib/paths";
import { PREVIEW_ROUTE } from "@/lib/preview";

/** A Location the site sends: a local path or an http(s) URL, ASCII; null for anything else. */
function safeLocation(location: string): string | null {
  const encoded = encodePath(location);  // a Location header is ASCII
  return isSafeLocalPath(encoded) || /^https?:\/\//.test(encoded) ? encoded : null;
}

/** Redirect to `location` when it is a local path or an http(s) URL; 404 otherwise. */
export function followCmsRedirect(location: string, permanent: boolean): never {
  const encoded = safeLocation(location);
  if (encoded === null) notFound();
  if (permanent) permanentRedirect(encoded);
  redirect(encoded);
}

/** The router's own query parameter (RSC requests), which is no visitor's. */
const ROUTER_PARAMS = ["_rsc"];
/** Paths that are the renderer's own routes, never a redirect's old path. */
const OWN_ROUTES = [PREVIEW_ROUTE, PAGE_ACCESS_ROUTE, "/search"];

/**
 * The redirect for a request with a query string (proxy.ts): pages are cached by path, so
 * a redirect stored with a query ("/products?id=123") and the visitor's query carried to
 * a redirect's target ("?utm_source=news") can only be answered here. The CMS decides
 * (cms/api/by_path.py): `{location, status}` (308 or 307, as for redirects of a path), or
 * null to serve the page as usual, also when the CMS cannot be asked.
 */
export async function queryRedirect(site: string, pathname: string, search: string):
  Promise<{ location: string; status: 307 | 308 } | null> {
  // As the visitor sent it: the CMS normalises it as Wagtail's middleware does.
  const query = search.replace(/^\?/, "").split("&")
    .filter((part) => part && !ROUTER_PARAMS.some((name) => part === name || part.startsWith(`${name}=`)))
    .join("&");
  if (!query || OWN_ROUTES.some((route) => pathname === route || pathname.startsWith(`${route}/`))) {
    return null;
  }
  let htmlPath: string;
  try {
    htmlPath = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  try {
    const found = await getQueryRedirect(site, htmlPath, query);
    const location = found && safeLocation(found.location);
    return found && location ? { location, status: found.permanent ? 308 : 307 } : null;
  } catch {
    return null; // the CMS is down or slow: the page (or its redirect) as cached
  }
}
