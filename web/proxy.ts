/**
 * Every site response passes here:
 * - page paths end in "/" like the CMS's html_path: "/about" answers 308 to "/about/"
 *   (next.config's own trailing-slash redirect is off so that POST /api/revalidate is
 *   never redirected);
 * - the request is rewritten to its site's route, SITE_ROUTE/<host><path>
 *   (app/mortar-site/[site]/), the host taken from the Host header or pinned by
 *   CMS_SITE_HOSTNAME (lib/site.ts): each site's pages are cached apart, and stay static;
 * - a request carrying a page access cookie, or back from a refused password
 *   (lib/page-access.ts), is rewritten to the route that renders a password-protected
 *   page for that visitor alone, at the page's own address;
 * - a request with a query string asks the CMS first whether a redirect covers it with
 *   that query, and takes the query along (lib/cms-redirect.ts);
 * - each response says which cache tags it is made of (`xkey`), so that an HTTP cache in
 *   front (infra/varnish) drops it when the CMS purges one of them;
 * - the CMS's own paths are forwarded to it (CMS_API_URL, read now, not at build time):
 *   media URLs in the API are relative ("/media/..."), and the CMS's document views and the
 *   login and password forms Wagtail sends visitors to (/_util/) are on the site's origin,
 *   so the site works on one origin in development. In production nginx routes them first.
 *   They take reads and small POSTs only (cmsPathRefusal);
 * - a page takes GET and HEAD, and POST only as a server action (a form's submission:
 *   `Next-Action` with JavaScript, a multipart form without), no larger than
 *   SERVER_ACTION_MAX_BYTES; anything else is refused here, before rendering;
 * - a Host no Site has (lib/site-hosts.ts) is refused before rendering (421), so that no
 *   visitor can fill the cache with pages for hosts or ports nobody serves;
 * - every page carries the site's Content-Security-Policy (lib/csp.ts).
 */
import { type NextRequest, NextResponse } from "next/server";

import { responseTags } from "@/lib/cache-tags";
import { queryRedirect } from "@/lib/cms-redirect";
import { contentSecurityPolicy } from "@/lib/csp";
import { PAGE_ACCESS_ROUTE, isForVisitor } from "@/lib/page-access";
import { isDecodablePath } from "@/lib/paths";
import { SERVER_ACTION_MAX_BYTES } from "@/lib/server-actions";
import { cmsApiUrl, siteUrl } from "@/lib/settings";
import { pinnedSite, requestHost, siteOfHost, siteRewrite } from "@/lib/site";
import { isSiteHostname, servedPorts } from "@/lib/site-hosts";

const XKEY_HEADER = "xkey";
/** The request, path and query as they came (the final "/" kept), sent on to the CMS. */
function toCms(request: NextRequest): NextResponse {
  return NextResponse.rewrite(new URL(`${request.nextUrl.pathname}${request.nextUrl.search}`,
    cmsApiUrl()));
}

function refuse(status: number, reason: string, headers: Record<string, string> = {}): NextResponse {
  return new NextResponse(`${reason}\n`, { status, headers: {
    "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...headers } });
}

function badRequest(reason: string): NextResponse {
  return refuse(400, `Bad Request: ${reason}`);
}

/**
 * What the site forwards to the CMS (media, documents, Wagtail's password forms), which
 * nginx routes to the CMS itself in production: reads, and the password
 * forms' small POSTs with their length announced. The CMS refuses anything else without
 * reading its body, and the rewrite's proxy then fails on the body it was still sending.
 */
const CMS_PATHS = /^\/(?:media|documents|_util)\//;
const CMS_FORM_MAX_BYTES = 64 * 1024;

function cmsPathRefusal(request: NextRequest): NextResponse | null {
  const method = request.method;
  const media = request.nextUrl.pathname.startsWith("/media/");
  if (method !== "GET" && method !== "HEAD" && (method !== "POST" || media)) {
    return refuse(405, "Method Not Allowed", { Allow: media ? "GET, HEAD" : "GET, HEAD, POST" });
  }
  const announced = request.headers.get("content-length");
  if (announced === null) {
    // A body of no announced length (chunked) could be any size.
    return request.headers.has("transfer-encoding") || method === "POST"
      ? refuse(411, "Length Required") : null;
  }
  const length = Number(announced);
  if (!Number.isFinite(length) || length > CMS_FORM_MAX_BYTES) {
    return refuse(413, `Payload Too Large: at most ${CMS_FORM_MAX_BYTES} bytes`);
  }
  return null;
}

/** Next.js's own paths other than its static files (the image optimizer): reads only. */
function nextPathRefusal(request: NextRequest): NextResponse | null {
  return request.method === "GET" || request.method === "HEAD" ? null
    : refuse(405, "Method Not Allowed", { Allow: "GET, HEAD" });
}

/** Why a page cannot take this method (and body), or null when it can. */
function methodRefusal(request: NextRequest): NextResponse | null {
  const method = request.method;
  if (method === "GET" || method === "HEAD") return null;
  const type = request.headers.get("content-type") ?? "";
  const action = request.headers.has("next-action") || /^multipart\/form-data\b/i.test(type);
  if (method !== "POST" || !action) {
    return refuse(405, "Method Not Allowed: a page is read with GET", { Allow: "GET, HEAD" });
  }
  const length = Number(request.headers.get("content-length") ?? "0");
  if (!Number.isFinite(length) || length > SERVER_ACTION_MAX_BYTES) {
    return refuse(413, `Payload Too Large: a form takes at most ${SERVER_ACTION_MAX_BYTES} bytes`);
  }
  return null;
}

export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  // Next.js itself answers a bare 500 for escapes that are not UTF-8 ("/caf%E9/").
  if (!isDecodablePath(pathname)) return badRequest("this address is not valid UTF-8");
  if (CMS_PATHS.test(pathname)) return cmsPathRefusal(request) ?? toCms(request);
  if (pathname.startsWith("/_next/")) return nextPathRefusal(request) ?? NextResponse.next();
  const last = pathname.slice(pathname.lastIndexOf("/") + 1);
  if (!pathname.endsWith("/") && !last.includes(".")) {
    // Built by hand: NextURL re-applies the trailing-slash setting when it formats.
    return NextResponse.redirect(new URL(`${pathname}/${request.nextUrl.search}`, request.url), 308);
  }
  const host = requestHost(request.headers.get("host"));
  if (!host) return badRequest("no site has this host name");
  if (!pinnedSite()) {
    const [hostname, port = ""] = host.split(":");
    if (!servedPorts(request.nextUrl.port, siteUrl()).has(port)
        || !(await isSiteHostname(hostname!))) {
      return refuse(421, "Misdirected Request: no site has this host name");
    }
  }
  if (request.method === "GET" || request.method === "HEAD") {
    const redirect = await queryRedirect(siteOfHost(host), pathname, request.nextUrl.search);
    if (redirect) {
      const response = NextResponse.redirect(new URL(redirect.location, request.url), redirect.status);
      // One answer per query string: not for the HTTP cache, which purges by path.
      response.headers.set("Cache-Control", "no-store");
      return response;
    }
  }
  // A visitor who entered a page's password: that page is rendered for them alone.
  const forVisitor = !pathname.startsWith(`${PAGE_ACCESS_ROUTE}/`)
    && isForVisitor(request.cookies.getAll(), request.nextUrl.searchParams);
  const target = siteRewrite(host, pathname, forVisitor ? PAGE_ACCESS_ROUTE : "");
  if (target === null) return NextResponse.next();
  const refused = methodRefusal(request);
  if (refused) return refused;
  // On the request's own URL as Next.js's router saw it (next.config skipProxyUrlNormalize):
  // a rewrite to any other origin would be proxied over HTTP instead of served here.
  const url = new URL(request.url);
  url.pathname = target;
  const response = NextResponse.rewrite(url);
  response.headers.set("Content-Security-Policy", contentSecurityPolicy());
  if (!forVisitor) {
    // Header values are ASCII: each tag percent-encoded, as the CMS encodes its purges.
    response.headers.set(XKEY_HEADER,
      responseTags(siteOfHost(host), pathname).map(encodeURIComponent).join(" "));
  }
  return response;
}

export const config = {
  // The site's pages (escapes included), what it passes to the CMS and the image
  // optimizer, not its API routes or build assets.
  matcher: ["/((?!api/|api$|_next/static/).*)"],
};
