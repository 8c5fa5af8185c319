/** The body and the secret of POST /api/revalidate (the OpenAPI document's `revalidate` webhook). */
import { createHash, timingSafeEqual } from "node:crypto";

import type { components } from "@/lib/api.generated";
import { MAX_ITEMS, MAX_TAG_LENGTH } from "@/lib/cache-tags";
import { isSafeLocalPath } from "@/lib/paths";

/**
 * The secret the renderer shares with the CMS: REVALIDATE_SECRET, the one setting (`make
 * dev` gives every part the CMS's). The renderer sends it with every request to the CMS, so
 * that the CMS records what the answers it caches show, and POST /api/revalidate takes only
 * requests carrying it. Unset: the renderer cannot be told of changes, and says so at start.
 */
export function revalidateSecret(): string {
  return process.env.REVALIDATE_SECRET ?? "";
}

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
export function secretMatches(given: string, expected: string): boolean {
  if (!expected) return false;
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function bearerToken(header: string | null): string {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
  return match?.[1]?.trim() ?? "";
}

/**
 * The largest body the limits allow: MAX_ITEMS tags and as many paths of MAX_TAG_LENGTH
 * characters, JSON-escaped (6 bytes a character at worst), plus the punctuation.
 */
export const MAX_BODY_BYTES = 2 * MAX_ITEMS * (MAX_TAG_LENGTH * 6 + 4) + 64;

/** The body as text, or null once it grows past `maxBytes` (reading stops there). */
export async function readCapped(request: Request, maxBytes: number): Promise<string | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export type RevalidateRequest = Required<components["schemas"]["RevalidateRequest"]>;

export type Parsed = { ok: true; value: RevalidateRequest } | { ok: false; message: string };

function stringList(body: Record<string, unknown>, key: string): string[] | string {
  const value = body[key];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string" && item.length > 0)) {
    return `"${key}" must be a list of non-empty strings`;
  }
  if (value.length > MAX_ITEMS) return `"${key}" may hold at most ${MAX_ITEMS} items`;
  return [...new Set(value as string[])];
}

export function parseRevalidateBody(body: unknown): Parsed {
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    return { ok: false, message: 'Body must be a JSON object: {"tags": [...], "paths": [...]}' };
  }
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => key !== "tags" && key !== "paths");
  if (unknown.length) return { ok: false, message: `Unknown fields: ${unknown.join(", ")}` };
  const tags = stringList(record, "tags");
  if (typeof tags === "string") return { ok: false, message: tags };
  const paths = stringList(record, "paths");
  if (typeof paths === "string") return { ok: false, message: paths };
  if (!tags.length && !paths.length) return { ok: false, message: "Give at least one tag or path" };
  const longTag = tags.find((tag) => tag.length > MAX_TAG_LENGTH);
  if (longTag) return { ok: false, message: `Tags are at most ${MAX_TAG_LENGTH} characters` };
  const badPath = paths.find((path) => !isSafeLocalPath(path));
  if (badPath !== undefined) return { ok: false, message: `Paths must start with "/": ${JSON.stringify(badPath)}` };
  return { ok: true, value: { tags, paths } };
}
