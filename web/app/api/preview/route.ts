/**
 * GET /api/preview?content_type=app.model&token=...: wagtail-headless-preview's client URL.
 * The CMS checks the token (signature and age) for the site of the request's host (or the
 * pinned one, lib/site.ts); only then does draft mode go on, for that host.
 */
import { cookies, draftMode } from "next/headers";
import { redirect } from "next/navigation";

import { CmsUnavailableError, getPreviewPage } from "@/lib/cms";
import { encodePath, isSafeLocalPath } from "@/lib/paths";
import { requestHost, siteOfHost } from "@/lib/site";
import { PREVIEW_COOKIE, PREVIEW_COOKIE_OPTIONS, encodePreviewRef } from "@/lib/preview";

const NO_STORE = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" };

function json(body: unknown, status: number): Response {
  return Response.json(body, { status, headers: NO_STORE });
}

export async function GET(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const contentType = params.get("content_type") ?? "";
  const token = params.get("token") ?? "";
  if (!contentType || !token) {
    return json({ message: "content_type and token are required" }, 400);
  }
  const host = requestHost(request.headers.get("host"));
  if (!host) return json({ message: "No site has this host name" }, 400);
  let result;
  try {
    result = await getPreviewPage(siteOfHost(host), contentType, token);
  } catch (error) {
    if (error instanceof CmsUnavailableError) return json({ message: "The CMS is unreachable" }, 502);
    throw error;
  }
  if (result.kind === "refused") return json({ message: result.message }, result.status);
  const path = result.page.meta.html_path;
  if (!isSafeLocalPath(path)) {
    return json({ message: "This page is not under the site's home page, so it has no address" }, 404);
  }
  (await draftMode()).enable();
  (await cookies()).set(PREVIEW_COOKIE, encodePreviewRef({ contentType, token }), PREVIEW_COOKIE_OPTIONS);
  redirect(encodePath(path));
}
