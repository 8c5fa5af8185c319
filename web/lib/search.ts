/**
 * GET /api/v2/search/ for the search page: never cached (one entry per query would grow
 * without bound, and the answer is only good for a moment).
 */
import "server-only";

import { CmsUnavailableError, cmsApiUrl } from "@/lib/cms";
import type { SearchResults } from "@/lib/types";

const TIMEOUT_MS = 10_000;

export type SearchOutcome =
  | { kind: "results"; results: SearchResults }
  /** The CMS refused the query (400: too long, control characters...): its message. */
  | { kind: "refused"; message: string };

export async function searchPages(q: string, page: number): Promise<SearchOutcome> {
  const params = new URLSearchParams({ q, page: String(page) });
  // The Site the CMS answers for, as lib/cms.ts picks it.
  const site = process.env.CMS_SITE_HOSTNAME;
  if (site) params.set("site", site);
  const url = `${cmsApiUrl()}/api/v2/search/?${params.toString()}`;
  let response: Response;
  try {
    response = await fetch(url, {
      cache: "no-store", headers: { Accept: "application/json" },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new CmsUnavailableError("CMS search request failed", { cause: error });
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw new CmsUnavailableError("CMS answered search with invalid JSON", { cause: error });
  }
  if (response.status === 400) {
    const message = (body as { message?: unknown }).message;
    return { kind: "refused", message: typeof message === "string" ? message : "Bad search" };
  }
  if (!response.ok) throw new CmsUnavailableError(`CMS answered search with ${response.status}`);
  return { kind: "results", results: body as SearchResults };
}
