/**
 * Which site a request is for. One renderer serves every Wagtail Site whose hostname
 * reaches it (nginx routes by server_name), or exactly one when CMS_SITE_HOSTNAME pins it.
 *
 * proxy.ts rewrites each site request to SITE_ROUTE/<host><path> (app/mortar-site/[site]/),
 * so that each host's pages are cached as entries of their own while staying static (ISR):
 * a page never reads the request's headers. The host segment is always derived from the
 * request's Host header, never taken from its path, so no visitor reaches another site's
 * pages by naming its segment.
 *
 * Three words, kept apart:
 * - host: the route segment, the request's Host lower-cased ("docs.example.com",
 *   "localhost:3000"), or the pinned CMS_SITE_HOSTNAME;
 * - site: what the CMS is asked for (`?site=`) and what cache tags are qualified by: the
 *   host's hostname without the port, or the pinned value as given;
 * - origin: where the site's absolute URLs point (canonical, Open Graph, sitemap, robots).
 */

/** The internal route every site request is rewritten to (app/mortar-site/[site]/). */
export const SITE_ROUTE = "/mortar-site";

/** A Host header value we serve: a DNS name or IPv4 address, with an optional port. */
const HOST = /^[a-z0-9](?:[a-z0-9.-]{0,252})(?::[0-9]{1,5})?$/;

/** Paths that are not the site's: proxy.ts forwards them to the CMS, or Next.js serves them. */
const NOT_SITE_PATHS = /^\/(?:_util\/|favicon\.ico$)/;

/** CMS_SITE_HOSTNAME, lower-cased: the one site this renderer serves, or null for any. */
export function pinnedSite(env: Record<string, string | undefined> = process.env): string | null {
  const pinned = env.CMS_SITE_HOSTNAME?.trim().toLowerCase();
  return pinned ? pinned : null;
}

/**
 * The host segment for a request with this Host header: the pinned site when there is one,
 * else the header lower-cased; null for a missing or malformed header (IPv6 literals
 * included: no Wagtail Site is one).
 */
export function requestHost(hostHeader: string | null | undefined,
                            pinned: string | null = pinnedSite()): string | null {
  if (pinned) return pinned;
  // "docs.example.com." is the name nginx matches as "docs.example.com": one site, one entry.
  const host = (hostHeader ?? "").trim().toLowerCase().replace(/\.(?=:|$)/, "");
  if (!HOST.test(host)) return null;
  const port = host.match(/:([0-9]+)$/)?.[1];
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65535) ? host : null;
}

/** The host segment as a route hands it over (maybe percent-encoded), checked; null if bad. */
export function hostFromSegment(segment: string, pinned: string | null = pinnedSite()): string | null {
  let host: string;
  try {
    host = decodeURIComponent(segment);
  } catch {
    return null;
  }
  if (pinned) return host === pinned ? host : null;
  return requestHost(host, null);
}

/** The site the CMS is asked for and cache tags name: "docs.example.com" for "docs.example.com:8443". */
export function siteOfHost(host: string, pinned: string | null = pinnedSite()): string {
  return pinned ?? host.replace(/:[0-9]+$/, "");
}

/**
 * The public origin of the site at `host`, without a trailing "/". Pinned: `pinnedOrigin`
 * (NEXT_PUBLIC_SITE_URL). Otherwise the host itself, with the scheme of `pinnedOrigin`:
 * configuration, not the request's X-Forwarded-Proto, because one cached page is served to
 * every visitor of the host whatever scheme they came by (nginx sends http to https).
 */
export function originOfHost(host: string, pinnedOrigin: string,
                             pinned: string | null = pinnedSite()): string {
  if (pinned) return pinnedOrigin;
  const scheme = /^https:/i.test(pinnedOrigin) ? "https" : "http";
  return `${scheme}://${host}`;
}

/**
 * Where proxy.ts sends a request for `pathname` (as requested, percent-encoded) at `host`:
 * SITE_ROUTE/<host><pathname>, or SITE_ROUTE/<host>`privateRoute`<pathname> when given
 * (a protected page for the visitor holding its cookie); null for paths that are not the
 * site's (NOT_SITE_PATHS). A path that already starts with SITE_ROUTE is prefixed like any
 * other: it is a page path of this host's site, so no request can choose another host's
 * segment.
 */
export function siteRewrite(host: string, pathname: string, privateRoute = ""): string | null {
  if (NOT_SITE_PATHS.test(pathname)) return null;
  return `${SITE_ROUTE}/${host}${privateRoute}${pathname}`;
}

/**
 * The site path a visitor asked for, from what a component sees of it: the router may show
 * the route proxy.ts rewrote it to (SITE_ROUTE/<host>/about/), the browser shows "/about/".
 */
export function visitorPath(pathname: string | null | undefined): string {
  const path = pathname || "/";
  if (path !== SITE_ROUTE && !path.startsWith(`${SITE_ROUTE}/`)) return path;
  const rest = path.slice(SITE_ROUTE.length + 1);
  const slash = rest.indexOf("/");
  return slash < 0 ? "/" : rest.slice(slash);
}
