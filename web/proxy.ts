/**
 * Every site response passes here:
 * - page paths end in "/" like the CMS's html_path: "/about" answers 308 to "/about/"
 *   (next.config's own trailing-slash redirect is off so that POST /api/revalidate is
 *   never redirected);
 * - the request is rewritten to its site's route, SITE_ROUTE/<host><path>
 *   (app/mortar-site/[site]/), the host taken from the Host header or pinned by
 *   CMS_SITE_HOSTNAME (lib/site.ts): each site's pages are cached apart, and stay static;
 * - a request carrying a page access cookie (lib/page-access.ts) is rewritten to the
 *   route that renders a password-protected page for that visitor alone;
 * - each response says which cache tags it is made of (`xkey`), so that an HTTP cache in
 *   front (infra/varnish) drops it when the CMS purges one of them;
 * - the CMS's own paths are forwarded to it (CMS_API_URL, read now, not at build time):
 *   media URLs in the API are relative ("/media/..."), and the CMS's document views and the
 *   login and password forms Wagtail sends visitors to (/_util/) are on the site's origin,
 *   so the site works on one origin in development. In production nginx routes them first.
 */
import { type NextRequest, NextResponse } from "next/server";

import { responseTags } from "@/lib/cache-tags";
import { PAGE_ACCESS_COOKIE_PREFIX, PAGE_ACCESS_ROUTE } from "@/lib/page-access";
import { isDecodablePath } from "@/lib/paths";
import { cmsApiUrl } from "@/lib/settings";
import { requestHost, siteOfHost, siteRewrite } from "@/lib/site";

const XKEY_HEADER = "xkey";
/** Served by the CMS as they are: files, and the document views that check access. */
const CMS_FILES = /^\/(?:media|documents)\//;
/** Served by the CMS after the site's own checks (a page path ends in "/"). */
const CMS_FORMS = /^\/_util\//;

/** The request, path and query as they came (the final "/" kept), sent on to the CMS. */
function toCms(request: NextRequest): NextResponse {
  return NextResponse.rewrite(new URL(`${request.nextUrl.pathname}${request.nextUrl.search}`,
    cmsApiUrl()));
}

function badRequest(reason: string): NextResponse {
  return new NextResponse(`Bad Request: ${reason}\n`,
    { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (CMS_FILES.test(pathname)) return toCms(request);
  // Next.js itself answers a bare 500 for escapes that are not UTF-8 ("/caf%E9/").
  if (!isDecodablePath(pathname)) return badRequest("this address is not valid UTF-8");
  const last = pathname.slice(pathname.lastIndexOf("/") + 1);
  if (!pathname.endsWith("/") && !last.includes(".")) {
    // Built by hand: NextURL re-applies the trailing-slash setting when it formats.
    return NextResponse.redirect(new URL(`${pathname}/${request.nextUrl.search}`, request.url), 308);
  }
  const host = requestHost(request.headers.get("host"));
  if (!host) return badRequest("no site has this host name");
  // A visitor who entered a page's password: that page is rendered for them alone.
  const forVisitor = !pathname.startsWith(`${PAGE_ACCESS_ROUTE}/`) && request.cookies.getAll()
    .some((cookie) => cookie.name.startsWith(PAGE_ACCESS_COOKIE_PREFIX));
  const target = siteRewrite(host, pathname, forVisitor ? PAGE_ACCESS_ROUTE : "");
  if (target === null) return CMS_FORMS.test(pathname) ? toCms(request) : NextResponse.next();
  // On the request's own URL as Next.js's router saw it (next.config skipProxyUrlNormalize):
  // a rewrite to any other origin would be proxied over HTTP instead of served here.
  const url = new URL(request.url);
  url.pathname = target;
  const response = NextResponse.rewrite(url);
  if (!forVisitor) {
    // Header values are ASCII: each tag percent-encoded, as the CMS encodes its purges.
    response.headers.set(XKEY_HEADER,
      responseTags(siteOfHost(host), pathname).map(encodeURIComponent).join(" "));
  }
  return response;
}

export const config = {
  // The site's pages (escapes included) and what it forwards to the CMS, not its API
  // routes or build assets.
  matcher: ["/((?!api/|api$|_next/).*)"],
};
