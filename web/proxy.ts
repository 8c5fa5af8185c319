/**
 * Every site response passes here:
 * - page paths end in "/" like the CMS's html_path: "/about" answers 308 to "/about/"
 *   (next.config's own trailing-slash redirect is off so that POST /api/revalidate is
 *   never redirected);
 * - each response says which cache tags it is made of (`xkey`), so that an HTTP cache in
 *   front (infra/varnish) drops it when the CMS purges one of them.
 */
import { type NextRequest, NextResponse } from "next/server";

import { responseTags } from "@/lib/cache-tags";
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
