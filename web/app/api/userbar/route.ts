/**
 * GET /api/userbar?page_id=N: Wagtail's userbar for the signed-in editor looking at a page
 * (components/site/Userbar.tsx asks for it). Their CMS session cookie, sent here because
 * the site and the admin share a host name (one origin behind nginx; localhost under
 * `make dev`), goes on to the CMS, which answers 403 to anyone else. Never cached: the
 * HTTP cache passes /api/, and the answer is private.
 */
import { type NextRequest } from "next/server";

import { CmsUnavailableError, getUserbar } from "@/lib/cms";
import { siteUrl } from "@/lib/settings";
import { originOfHost, requestHost } from "@/lib/site";
import { CMS_SESSION_COOKIE } from "@/lib/userbar";

const PRIVATE = { "Cache-Control": "private, no-store", Vary: "Cookie" };

function json(body: unknown, status: number): Response {
  return Response.json(body, { status, headers: PRIVATE });
}

export async function GET(request: NextRequest): Promise<Response> {
  const session = request.cookies.get(CMS_SESSION_COOKIE)?.value ?? "";
  // Django's session keys are letters and digits; nothing else goes into a Cookie header.
  if (!/^[A-Za-z0-9]{1,128}$/.test(session)) {
    return json({ message: "Sign in to the Wagtail admin to see the userbar" }, 403);
  }
  const rawPageId = request.nextUrl.searchParams.get("page_id");
  if (rawPageId !== null && !/^[1-9][0-9]{0,9}$/.test(rawPageId)) {
    return json({ message: "page_id must be a page's id" }, 400);
  }
  const host = requestHost(request.headers.get("host"));
  if (!host) return json({ message: "No site has this host name" }, 400);
  try {
    const result = await getUserbar({ session, origin: originOfHost(host, siteUrl()),
      pageId: rawPageId ? Number(rawPageId) : null });
    return result.kind === "userbar" ? json({ html: result.html }, 200)
      : json({ message: result.message }, result.status);
  } catch (error) {
    if (error instanceof CmsUnavailableError) return json({ message: "The CMS is unreachable" }, 502);
    throw error;
  }
}
