/**
 * GET /api/preview?content_type=app.model&token=...[&in_preview_panel=true]:
 * wagtail-headless-preview's client URL. The CMS checks the token (signature and age) for
 * the site of the request's host (or the pinned one, lib/site.ts); then the browser goes
 * to the draft's own preview address, the token still in the query (lib/preview.ts): no
 * cookie, so the preview works in the admin's panel whatever the two domains are. A
 * refusal says why, as a page in a browser (the panel shows it) and as JSON otherwise.
 */
import { redirect } from "next/navigation";

import { CmsUnavailableError, getPreviewPage } from "@/lib/cms";
import { isSafeLocalPath } from "@/lib/paths";
import { previewHref, previewQuery } from "@/lib/preview";
import { requestHost, siteOfHost } from "@/lib/site";

const NO_STORE = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function refuse(request: Request, message: string, status: number): Response {
  if (!(request.headers.get("accept") ?? "").includes("text/html")) {
    return Response.json({ message }, { status, headers: NO_STORE });
  }
  const page = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">"
    + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    + "<title>Preview unavailable</title>"
    + `<h1>Preview unavailable</h1><p role="alert">${escapeHtml(message)}</p></html>`;
  return new Response(page, { status, headers: { ...NO_STORE, "Content-Type": "text/html; charset=utf-8" } });
}

export async function GET(request: Request): Promise<Response> {
  const query = previewQuery(new URL(request.url).searchParams);
  if (!query) return refuse(request, "content_type (app.model) and a preview token are required", 400);
  const host = requestHost(request.headers.get("host"));
  if (!host) return refuse(request, "No site has this host name", 400);
  let result;
  try {
    result = await getPreviewPage(siteOfHost(host), query.contentType, query.token);
  } catch (error) {
    if (error instanceof CmsUnavailableError) {
      return refuse(request, "The CMS is unreachable from the site: try again in a moment", 502);
    }
    throw error;
  }
  if (result.kind === "refused") return refuse(request, result.message, result.status);
  const path = result.page.meta.html_path;
  if (!isSafeLocalPath(path)) {
    return refuse(request, "This page is not under the site's home page, so it has no address", 404);
  }
  redirect(previewHref(path, query));
}
