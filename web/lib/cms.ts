/**
 * The CMS API client: one typed function per endpoint, server side only.
 *
 * Requests carry no visitor cookies or headers: a cached page must never depend on who
 * asked for it. Every request names its site (`?site=`, lib/site.ts): one renderer may
 * serve several Wagtail Sites, and each site's answers are cache entries of their own.
 * Live documents are cached by Next.js, one entry per answer, under the tags
 * of lib/cache-tags.ts; the CMS revalidates exactly the entries a change shows. Drafts
 * are never cached.
 *
 * Every request has a timeout and goes through one circuit breaker (lib/cms-circuit.ts):
 * while the CMS fails, requests fail at once without reaching it, and what Next.js has
 * cached keeps being served.
 */
import "server-only";

import { navigationTag, pathTag, sitemapTag } from "@/lib/cache-tags";
import { CircuitOpenError, cmsCircuit } from "@/lib/cms-circuit";
import { timeCmsFetch } from "@/lib/metrics";
import { revalidateSecret } from "@/lib/revalidation";
import { cmsApiUrl, siteUrl } from "@/lib/settings";
import { hostFromSegment, originOfHost, siteOfHost } from "@/lib/site";
import { traceHeaders } from "@/lib/tracing";
import { CMS_SESSION_COOKIE } from "@/lib/userbar";
import type {
  Navigation, PageAccess, PageDocument, PasswordRequired, SearchResults, SitemapPage, UserbarAnswer,
} from "@/lib/types";

/** Safety net if a revalidation request were ever lost; publishing revalidates at once. */
export const REVALIDATE_SECONDS = 3600;
const TIMEOUT_MS = 10_000;

export { cmsApiUrl } from "@/lib/settings";

/** The CMS did not answer, or answered something we cannot use: show the error page. */
export class CmsUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CmsUnavailableError";
  }
}

export type PageResult =
  | { kind: "page"; page: PageDocument }
  | { kind: "redirect"; location: string; permanent: boolean }
  /** A page that only a password opens: `protectedPath` is the page the password is for. */
  | { kind: "password_required"; restrictionId: number; protectedPath: string }
  | { kind: "not_found" };

export type PreviewResult =
  | { kind: "page"; page: PageDocument }
  | { kind: "refused"; status: number; message: string };

type Caching = { draft: boolean; tags: string[] };

/**
 * `fetch` to the CMS through the circuit, with the timeout. A failure to answer, a 502-504 or
 * an open circuit is a CmsUnavailableError; any other answer is the caller's to read.
 */
async function cmsFetch(path: string, url: string, init: RequestInit): Promise<Response> {
  // In the visitor's trace (lib/tracing.ts: Next.js leaves `traceparent` out of its cache
  // keys). Made before the circuit: a header no request could carry (a visitor's value
  // that slipped past its route's check) throws here, as this request's own fault, and
  // never counts as the CMS failing (ten of them would close the site for everyone).
  const headers = new Headers({ ...traceHeaders(), ...(init.headers as Record<string, string>) });
  const done = timeCmsFetch(path); // lib/metrics.ts
  try {
    const response = await cmsCircuit().fire(
      () => fetch(url, { ...init, headers, signal: AbortSignal.timeout(TIMEOUT_MS) }));
    done(response.status);
    return response;
  } catch (error) {
    done(error instanceof CircuitOpenError ? "circuit_open" : "error");
    throw new CmsUnavailableError(`CMS request to ${path} failed`, { cause: error });
  }
}

async function request(path: string, params: Record<string, string>, caching: Caching,
                       headers: Record<string, string> = {}): Promise<Response> {
  const url = `${cmsApiUrl()}${path}?${new URLSearchParams(params).toString()}`;
  const cacheOptions: RequestInit = caching.draft
    ? { cache: "no-store" }
    : { next: { tags: caching.tags, revalidate: REVALIDATE_SECONDS } };
  return cmsFetch(path, url, {
    ...cacheOptions,
    headers: { Accept: "application/json", ...headers },
    redirect: "manual",
  });
}

async function json<T>(response: Response, path: string): Promise<T> {
  try {
    return (await response.json()) as T;
  } catch (error) {
    throw new CmsUnavailableError(`CMS answered ${path} with invalid JSON`, { cause: error });
  }
}

type RedirectBody = { message: string; redirect?: { location: string; permanent: boolean } };


/**
 * The renderer identifies itself with the revalidation secret, so that the CMS records
 * what the answers it caches show, under its site's tags (anyone else's are not worth
 * remembering, and could be any number).
 */
function rendererCredentials(): Record<string, string> {
  const secret = revalidateSecret();
  return secret ? { Authorization: `Bearer ${secret}` } : {};
}

/**
 * GET /api/v2/pages/by-path/: the page, a Wagtail redirect, or nothing at that path.
 *
 * Every path is the CMS's to answer, a listing's pages ("/articles/page/2/") included:
 * each is its own cache entry, under its own path's tag.
 */
export async function getPageByPath(
  site: string, htmlPath: string, options: { draft?: boolean; access?: string[] } = {},
): Promise<PageResult> {
  const endpoint = "/api/v2/pages/by-path/";
  const params: Record<string, string> = { html_path: htmlPath, site };
  // A visitor's page access tokens: what they open is theirs alone, never cached.
  const access: Record<string, string> = options.access?.length
    ? { "X-Page-Access": options.access.join(",") } : {};
  const response = await request(endpoint, params,
    { draft: (options.draft ?? false) || "X-Page-Access" in access, tags: [pathTag(site, htmlPath)] },
    { ...rendererCredentials(), ...access });
  if (response.status === 404) return { kind: "not_found" };
  if (response.status === 401) {
    const required = (await json<Partial<PasswordRequired>>(response, endpoint)).password_required;
    if (!required) throw new CmsUnavailableError(`CMS answered ${endpoint} with 401`);
    return { kind: "password_required", restrictionId: required.restriction_id,
      protectedPath: required.html_path ?? htmlPath };
  }
  if (response.status === 301 || response.status === 302) {
    const body = await json<RedirectBody>(response, endpoint);
    const location = body.redirect?.location ?? response.headers.get("Location");
    if (!location) throw new CmsUnavailableError("CMS redirect without a location");
    return { kind: "redirect", location, permanent: body.redirect?.permanent ?? response.status === 301 };
  }
  // A path the API refuses (400) is not a page of this site.
  if (response.status === 400) return { kind: "not_found" };
  if (!response.ok) throw new CmsUnavailableError(`CMS answered ${endpoint} with ${response.status}`);
  return { kind: "page", page: await json<PageDocument>(response, endpoint) };
}

/**
 * HEAD /api/v2/pages/by-path/?query=: the redirect that covers `htmlPath` asked for with the
 * visitor's `query` string (raw, without "?"), which the CMS matches and carries to the
 * target (cms/api/by_path.py); null when a page, or nothing, is there. Never cached: one
 * answer per query string.
 */
export async function getQueryRedirect(site: string, htmlPath: string, query: string):
  Promise<{ location: string; permanent: boolean } | null> {
  const endpoint = "/api/v2/pages/by-path/";
  const url = `${cmsApiUrl()}${endpoint}?${new URLSearchParams({ html_path: htmlPath, site, query })}`;
  const response = await cmsFetch(endpoint, url, { method: "HEAD", cache: "no-store", redirect: "manual" });
  const location = response.headers.get("Location");
  if ((response.status !== 301 && response.status !== 302) || !location) return null;
  return { location, permanent: response.status === 301 };
}

/** GET /api/v2/page_preview/: the draft behind a preview token, checked by the CMS. */
export async function getPreviewPage(site: string, contentType: string,
                                     token: string): Promise<PreviewResult> {
  const endpoint = "/api/v2/page_preview/";
  // The token goes in a header so that no access log on the way records it.
  const response = await request(endpoint, { content_type: contentType, site },
    { draft: true, tags: [] }, { "X-Preview-Token": token });
  if (response.ok) return { kind: "page", page: await json<PageDocument>(response, endpoint) };
  if (response.status >= 400 && response.status < 500) {
    const body = await json<{ message?: string }>(response, endpoint);
    return { kind: "refused", status: response.status, message: body.message ?? "Preview refused" };
  }
  throw new CmsUnavailableError(`CMS answered ${endpoint} with ${response.status}`);
}

export type PageAccessResult =
  | { kind: "granted"; token: string; maxAge: number }
  | { kind: "refused"; status: number; message: string };

/**
 * POST /api/v2/page_access/: a token for a page password restriction, if `password` is
 * right. `visitorIp` goes on as X-Forwarded-For: the CMS throttles guesses per address.
 */
export async function postPageAccess(restrictionId: number, password: string,
                                     visitorIp: string | null): Promise<PageAccessResult> {
  const endpoint = "/api/v2/page_access/";
  const response = await cmsFetch(endpoint, `${cmsApiUrl()}${endpoint}`, {
    method: "POST",
    cache: "no-store",
    headers: { Accept: "application/json", "Content-Type": "application/json",
      ...(visitorIp ? { "X-Forwarded-For": visitorIp } : {}) },
    body: JSON.stringify({ restriction_id: restrictionId, password }),
  });
  if (response.ok) {
    const body = await json<PageAccess>(response, endpoint);
    return { kind: "granted", token: body.token, maxAge: body.max_age };
  }
  if (response.status >= 400 && response.status < 500) {
    const body = await json<{ message?: string }>(response, endpoint);
    return { kind: "refused", status: response.status, message: body.message ?? "Refused" };
  }
  throw new CmsUnavailableError(`CMS answered ${endpoint} with ${response.status}`);
}

export type UserbarResult =
  | { kind: "userbar"; html: string }
  | { kind: "refused"; status: number; message: string };

async function userbarAnswer(response: Response, endpoint: string): Promise<UserbarResult> {
  if (response.ok) return { kind: "userbar", html: (await json<UserbarAnswer>(response, endpoint)).html };
  if (response.status >= 400 && response.status < 500) {
    const body = await json<{ message?: string }>(response, endpoint);
    return { kind: "refused", status: response.status, message: body.message ?? "Refused" };
  }
  throw new CmsUnavailableError(`CMS answered ${endpoint} with ${response.status}`);
}

/**
 * GET /api/v2/userbar/ for a signed-in editor: the visitor's CMS session cookie goes along
 * (`session`, the value of lib/userbar.ts's CMS_SESSION_COOKIE), the answer is theirs
 * alone and never cached. `origin` is the site's origin as the visitor sees it: the CMS
 * points the userbar's links at the admin they are signed in to.
 */
export async function getUserbar(options: { session: string; origin: string; pageId?: number | null }):
  Promise<UserbarResult> {
  const endpoint = "/api/v2/userbar/";
  const params: Record<string, string> = { origin: options.origin };
  if (options.pageId) params.page_id = String(options.pageId);
  const response = await request(endpoint, params, { draft: true, tags: [] },
    { Cookie: `${CMS_SESSION_COOKIE}=${options.session}` });
  return userbarAnswer(response, endpoint);
}

/**
 * GET /api/v2/userbar/ for a preview, the token in a header: the content checks (hidden
 * `inPanel`, where the page editor runs them) and the admin's address; never cached.
 */
export async function getPreviewUserbar(contentType: string, token: string,
                                        inPanel: boolean): Promise<UserbarResult> {
  const endpoint = "/api/v2/userbar/";
  const params: Record<string, string> = { content_type: contentType };
  if (inPanel) params.in_preview_panel = "true";
  const response = await request(endpoint, params, { draft: true, tags: [] },
    { "X-Preview-Token": token });
  return userbarAnswer(response, endpoint);
}

/** GET /api/v2/navigation/: main menu and footer; null when the CMS has no such site. */
export async function getNavigation(site: string,
                                    options: { draft?: boolean } = {}): Promise<Navigation | null> {
  const endpoint = "/api/v2/navigation/";
  const response = await request(endpoint, { site },
    { draft: options.draft ?? false, tags: [navigationTag(site)] }, rendererCredentials());
  if (response.status === 404) return null;
  if (!response.ok) throw new CmsUnavailableError(`CMS answered ${endpoint} with ${response.status}`);
  return json<Navigation>(response, endpoint);
}

/** GET /api/v2/sitemap/?page=N: a page of every live, public page (null past the last). */
export async function getSitemap(site: string, page = 1): Promise<SitemapPage | null> {
  const endpoint = "/api/v2/sitemap/";
  const response = await request(endpoint, { site, page: String(page) },
    { draft: false, tags: [sitemapTag(site)] }, rendererCredentials());
  if (response.status === 404) return null;
  if (!response.ok) throw new CmsUnavailableError(`CMS answered ${endpoint} with ${response.status}`);
  return json<SitemapPage>(response, endpoint);
}

export type SearchOutcome =
  | { kind: "results"; results: SearchResults }
  /** The CMS refused the query (400: too long, control characters...): its message. */
  | { kind: "refused"; message: string };

/**
 * GET /api/v2/search/?q=&page=: never cached (one entry per query would grow without
 * bound, and the answer is only good for a moment).
 */
export async function searchPages(site: string, q: string, page: number): Promise<SearchOutcome> {
  const endpoint = "/api/v2/search/";
  const response = await request(endpoint, { q, page: String(page), site },
    { draft: true, tags: [] });
  if (response.status === 400) {
    const body = await json<{ message?: unknown }>(response, endpoint);
    return { kind: "refused", message: typeof body.message === "string" ? body.message : "Bad search" };
  }
  if (!response.ok) throw new CmsUnavailableError(`CMS answered ${endpoint} with ${response.status}`);
  return { kind: "results", results: await json<SearchResults>(response, endpoint) };
}

/** A site route's host segment as the CMS client needs it (lib/site.ts). */
export type SiteContext = {
  /** The route segment: "docs.example.com:8443". */
  host: string;
  /** `?site=` and the cache tags' qualifier: "docs.example.com". */
  site: string;
  /** For canonical URLs, Open Graph, the sitemap and robots.txt: "https://docs.example.com:8443". */
  origin: string;
};

/** The site of a route's `[site]` segment, or null for one proxy.ts never makes. */
export function siteContext(segment: string): SiteContext | null {
  const host = hostFromSegment(segment);
  return host ? { host, site: siteOfHost(host), origin: originOfHost(host, siteUrl()) } : null;
}

/** A media URL as the browser should load it: relative ones stay on the site's `origin`. */
export function absoluteUrl(origin: string, pathOrUrl: string): string {
  return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${origin}${pathOrUrl}`;
}
