/**
 * Page paths end in "/" like the CMS's html_path: "/about" answers 308 to "/about/".
 * (next.config's own trailing-slash redirect is off so that POST /api/revalidate is
 * never redirected.)
 */
import { type NextRequest, NextResponse } from "next/server";

import { isDecodablePath } from "@/lib/paths";

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  // Next.js itself answers a bare 500 for escapes that are not UTF-8 ("/caf%E9/").
  if (!isDecodablePath(pathname)) {
    return new NextResponse("Bad Request: this address is not valid UTF-8\n",
      { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const last = pathname.slice(pathname.lastIndexOf("/") + 1);
  if (pathname.endsWith("/") || last.includes(".")) return NextResponse.next();
  // Built by hand: NextURL re-applies the trailing-slash setting when it formats.
  return NextResponse.redirect(new URL(`${pathname}/${request.nextUrl.search}`, request.url), 308);
}

export const config = {
  // Only paths without their trailing slash: a page request ("/about/") skips the proxy,
  // which is most of what a cached page costs to serve.
  // And paths with %-escapes, to check that they decode.
  matcher: ["/((?!api/|api$|_next/|media/|documents/).*[^/])",
    "/((?!api/|_next/|media/|documents/).*%.*)"],
};
