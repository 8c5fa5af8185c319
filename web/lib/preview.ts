/**
 * Previews of drafts, whatever the admin's and the site's domains: the preview token
 * travels in the URL of every preview request, never in a cookie. The admin's preview
 * panel frames the site, and when the two are different sites (cms.agency.net and
 * www.client.com, or 127.0.0.1 and localhost) browsers keep no cookie a framed page sets:
 * a preview that needed one showed the live page instead.
 *
 * wagtail-headless-preview opens /api/preview?content_type=&token= (app/api/preview),
 * which checks the token with the CMS and sends the browser to PREVIEW_ROUTE<html_path>
 * with the same query (app/mortar-site/[site]/mortar-preview/), rendered for that request
 * alone from the CMS's draft. Tokens expire (PREVIEW_TOKEN_MAX_AGE in the CMS), pages
 * carrying one tell browsers not to pass the address on (Referrer-Policy), and nginx
 * keeps these addresses out of its access log.
 */
import { encodePath } from "@/lib/paths";

/** The route a draft is shown at, before its page's own path. */
export const PREVIEW_ROUTE = "/mortar-preview";

/** What a preview request carries: the draft's model, its token, and where it is shown. */
export type PreviewQuery = { contentType: string; token: string; inPanel: boolean };

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function param(params: Params, name: string): string {
  const value = params instanceof URLSearchParams ? params.get(name) : params[name];
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

/** The preview query of a request's search parameters; null without a model and token. */
export function previewQuery(params: Params): PreviewQuery | null {
  const contentType = param(params, "content_type");
  const token = param(params, "token");
  if (!contentType || !token) return null;
  return { contentType, token, inPanel: param(params, "in_preview_panel") === "true" };
}

/** The address of the draft of the page at `htmlPath` ("/about/"). */
export function previewHref(htmlPath: string, query: PreviewQuery): string {
  const search = new URLSearchParams({ content_type: query.contentType, token: query.token });
  if (query.inPanel) search.set("in_preview_panel", "true");
  return `${PREVIEW_ROUTE}${encodePath(htmlPath)}?${search.toString()}`;
}
