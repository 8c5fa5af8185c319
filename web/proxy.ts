/**
 * Every site response passes here:
 * - page paths end in "/" like the CMS's html_path: "/about" answers 308 to "/about/"
 *   (next.config's own trailing-slash redirect is off so that POST /api/revalidate is
 *   never redirected);
 * - a request carrying a page access cookie (lib/page-access.ts) is rewritten to the
 *   route that renders a password-protected page for that visitor alone;
 * - each response says which cache tags it is made of (`xkey`), so that an HTTP cache in
 *   front (infra/varnish) drops it when the CMS purges one of them.
 */
import { type NextRequest, NextResponse } from "next/server";

import { responseTags } from "@/lib/cache-tags";
import { PAGE_ACCESS_COOKIE_PREFIX, PAGE_ACCESS_ROUTE } from "@/lib/page-access";
import { isDecodablePath } from "@/lib/paths";

const XKEY_HEADER = "xkey";

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  // Next.js itself answers a bare 500 for escapes that are not UTF-8 ("/caf%E9/").
  if (!isDecodablePath(pathname)) {
    return new NextResponse("Bad Request: this address is not valid UTF-8\n",
      { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const last = pathname.slice(pathname.lastIndexOf("/") + 1);
  if (!pathname.endsWith("/") && !last.includes(".")) {
    // Built by hand: NextURL re-applies the trailing-slash setting when it formats.
    return NextResponse.redirect(new URL(`${pathname}/${request.nextUrl.search}`, request.url), 308);
  }
  // A visitor who entered a page's password: that page is rendered for them alone.
  if (!pathname.startsWith(`${PAGE_ACCESS_ROUTE}/`) && request.cookies.getAll()
    .some((cookie) => cookie.name.startsWith(PAGE_ACCESS_COOKIE_PREFIX))) {
    const url = request.nextUrl.clone();
    url.pathname = `${PAGE_ACCESS_ROUTE}${pathname}`;
    // The server's own origin as it sees it: `next start` speaks plain HTTP, while nextUrl
    // takes https from nginx's X-Forwarded-Proto; with that origin Next.js would proxy the
    // rewrite to the public URL instead of serving it itself.
    url.protocol = "http:";
    return NextResponse.rewrite(url);
  }
  const response = NextResponse.next();
  // Header values are ASCII: each tag percent-encoded, as the CMS encodes its purges.
  response.headers.set(XKEY_HEADER, responseTags(pathname).map(encodeURIComponent).join(" "));
  return response;
}

export const config = {
  // The site's pages (escapes included), not its API routes, build assets or what it
  // proxies to the CMS.
  matcher: ["/((?!api/|api$|_next/|media/|documents/).*)"],
};
