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

// A model is "app_label.model_name"; a token is what Django's signing makes (URL-safe
// base64, ":" and the query's own characters), so visible ASCII. Anything else would make
// an HTTP header the renderer cannot send (a %00 or %ff in the address): refused here, as
// the visitor's mistake, before the CMS is asked.
const CONTENT_TYPE = /^[A-Za-z0-9_]{1,100}\.[A-Za-z0-9_]{1,100}$/;
const TOKEN = /^[\x21-\x7e]{1,4096}$/;

/**
 * The preview query of a request's search parameters; null without a well-formed model
 * ("app.model") and token (1-4096 visible ASCII characters).
 */
export function previewQuery(params: Params): PreviewQuery | null {
  const contentType = param(params, "content_type");
  const token = param(params, "token");
  if (!CONTENT_TYPE.test(contentType) || !TOKEN.test(token)) return null;
  return { contentType, token, inPanel: param(params, "in_preview_panel") === "true" };
}

/** The address of the draft of the page at `htmlPath` ("/about/"). */
export function previewHref(htmlPath: string, query: PreviewQuery): string {
  const search = new URLSearchParams({ content_type: query.contentType, token: query.token });
  if (query.inPanel) search.set("in_preview_panel", "true");
  return `${PREVIEW_ROUTE}${encodePath(htmlPath)}?${search.toString()}`;
}
