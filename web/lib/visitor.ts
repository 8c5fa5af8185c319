/**
 * The visitor's address, for the CMS's per-address limits (password guesses, form
 * submissions) on requests the renderer makes for them: nginx sets X-Real-IP (replacing
 * any the client sent); the HTTP cache between nginx and the renderer appends itself to
 * X-Forwarded-For, so that one's last entry is nginx, not the visitor. Without nginx in
 * front, the last X-Forwarded-For entry, or null.
 */
export function visitorIp(headers: Headers): string | null {
  const real = headers.get("x-real-ip")?.trim();
  if (real) return real;
  return headers.get("x-forwarded-for")?.split(",").pop()?.trim() || null;
}
