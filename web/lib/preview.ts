/**
 * Which draft an editor is previewing: set by /api/preview next to Next.js's draft-mode
 * cookie, read only while draft mode is on. The token stays in an httpOnly cookie, never
 * in a URL the site shows.
 */
export const PREVIEW_COOKIE = "mortar_preview";

export type PreviewRef = { contentType: string; token: string };

export function encodePreviewRef(ref: PreviewRef): string {
  return Buffer.from(JSON.stringify(ref), "utf8").toString("base64url");
}

export function decodePreviewRef(raw: string | undefined): PreviewRef | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (value && typeof value === "object" && "contentType" in value && "token" in value
      && typeof value.contentType === "string" && typeof value.token === "string") {
      return { contentType: value.contentType, token: value.token };
    }
  } catch {
    // A cookie we did not write: treat it as absent.
  }
  return null;
}

/** Same flags as Next.js's own draft-mode cookie, so both reach the same requests. */
export const PREVIEW_COOKIE_OPTIONS = {
  httpOnly: true,
  path: "/",
  sameSite: process.env.NODE_ENV === "development" ? "lax" : "none",
  secure: process.env.NODE_ENV !== "development",
} as const;
