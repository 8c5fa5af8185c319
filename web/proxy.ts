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
 *   front (infra/varnish) drops it when the CMS purges one of them.
 */
import { type NextRequest, NextResponse } from "next/server";

import { responseTags } from "@/lib/cache-tags";
import { queryRedirect } from "@/lib/cms-redirect";
import { PAGE_ACCESS_ROUTE, isForVisitor } from "@/lib/page-access";
import { isDecodablePath } from "@/lib/paths";
import { requestHost, siteOfHost, siteRewrite } from "@/lib/site";

const XKEY_HEADER = "xkey";

function badRequest(reason: string): NextResponse {
  return new NextResponse(`Bad Request: ${reason}\n`,
    { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  // Next.js itself answers a bare 500 for escapes that are not UTF-8 ("/caf%E9/").
  if (!isDecodablePath(pathname)) return badRequest("this address is not valid UTF-8");
  const last = pathname.slice(pathname.lastIndexOf("/") + 1);
  if (!pathname.endsWith("/") && !last.includes(".")) {
    // Built by hand: NextURL re-applies the trailing-slash setting when it formats.
    return NextResponse.redirect(new URL(`${pathname}/${request.nextUrl.search}`, request.url), 308);
  }
  const host = requestHost(request.headers.get("host"));
  if (!host) return badRequest("no site has this host name");
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
  // The site's pages (escapes included), not its API routes, build assets or what it
  // proxies to the CMS.
  matcher: ["/((?!api/|api$|_next/|media/|documents/).*)"],
};
