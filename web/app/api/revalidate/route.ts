/**
 * POST /api/revalidate: the CMS tells the renderer which cached documents changed.
 * Contract: `Authorization: Bearer <REVALIDATE_SECRET>`,
 * body `{"tags": ["path:/articles/hello/", "navigation", "sitemap"], "paths": []}`
 * (the `revalidate` webhook of the CMS's OpenAPI document, with its limits).
 * GET with the same header: 200 if this renderer would take it, else 401 (the CMS asks so
 * before any change: `make dev`'s start-up lines, /healthz, Settings → Renderer).
 * 503 while the shared cache (Redis) cannot take the revalidation: the CMS tries again.
 * Next.js drops the tags' entries after this answers; a drop that fails then is logged and
 * tried again by the cache handler (cache-handler.mjs, `storedOnlyIfFresh`).
 */
import { revalidatePath, revalidateTag } from "next/cache";

import { sharedCacheReady } from "@/cache-handler.mjs";

import {
  MAX_BODY_BYTES,
  bearerToken,
  parseRevalidateBody,
  readCapped,
  revalidateSecret,
  secretMatches,
} from "@/lib/revalidation";

function json(body: unknown, status: number): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}

/** Whether the request carries the CMS's secret; unset here, nothing does. */
function fromCms(request: Request): boolean {
  return secretMatches(bearerToken(request.headers.get("authorization")), revalidateSecret());
}

const REFUSED = { message: "Invalid or missing revalidation secret" };

export function GET(request: Request): Response {
  return fromCms(request) ? json({ revalidate: "ready" }, 200) : json(REFUSED, 401);
}

export async function POST(request: Request): Promise<Response> {
  if (!fromCms(request)) return json(REFUSED, 401);
  const text = await readCapped(request, MAX_BODY_BYTES);
  if (text === null) return json({ message: `Body is larger than ${MAX_BODY_BYTES} bytes` }, 413);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return json({ message: "Body must be JSON" }, 400);
  }
  const parsed = parseRevalidateBody(body);
  if (!parsed.ok) return json({ message: parsed.message }, 400);
  const { tags, paths } = parsed.value;
  // A revalidation the shared cache cannot take would be lost behind a 200: the CMS retries.
  if (!(await sharedCacheReady())) {
    return json({ message: "The renderer's shared cache (Redis) is unavailable" }, 503);
  }
  // expire: 0, not "max": an editor who just published must not be shown the old page.
  for (const tag of tags) revalidateTag(tag, { expire: 0 });
  for (const path of paths) revalidatePath(path);
  return json({ revalidated: { tags, paths } }, 200);
}
