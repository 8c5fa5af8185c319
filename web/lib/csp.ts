/**
 * The site's Content-Security-Policy, in one place: proxy.ts sends it with every page.
 *
 * Pages are static (ISR, the same bytes for every visitor), so a nonce per request is
 * out of reach: Next.js's own inline scripts (the RSC payload, `self.__next_f.push`) then
 * need 'unsafe-inline', and hashes cannot be known ahead as they hold each page's data.
 * What the policy does hold: scripts only from this origin (no other host's), no
 * plugins, no <base> or form posting elsewhere, framing only by the CMS's admin (its
 * preview panel), requests only to this origin. Images and embeds may come from any
 * HTTPS host: media on a CDN (AWS_S3_CUSTOM_DOMAIN) and embeds (YouTube, Vimeo…) are
 * the editors' choice.
 *
 * To extend it (a userbar script, an analytics host, another embed frame…), add the
 * source to the directive's list below, and say why beside it.
 */

export type Directives = Record<string, string[]>;

/** "scheme://host[:port]" of a URL, or null for anything that is not an http(s) URL. */
function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return /^https?:$/.test(parsed.protocol) ? parsed.origin : null;
  } catch {
    return null;
  }
}

/**
 * The origins allowed to frame the site: its own, and the CMS's, where the admin's
 * preview panel frames the page being edited: WAGTAILADMIN_BASE_URL (where editors open
 * the admin) and CMS_API_URL (the same CMS as the renderer reaches it).
 */
export function adminOrigins(env: Record<string, string | undefined> = process.env): string[] {
  const origins = [originOf(env.WAGTAILADMIN_BASE_URL), originOf(env.CMS_API_URL)];
  return [...new Set(origins.filter((origin): origin is string => origin !== null))].sort();
}

/** Where the userbar's scripts and styles come from: the admin (WAGTAILADMIN_BASE_URL). */
function adminScriptOrigins(env: Record<string, string | undefined>): string[] {
  const origin = originOf(env.WAGTAILADMIN_BASE_URL);
  return origin ? [origin] : [];
}

export function siteDirectives(env: Record<string, string | undefined> = process.env): Directives {
  const development = env.NODE_ENV === "development";
  return {
    "default-src": ["'self'"],
    // 'unsafe-inline': Next.js's inline scripts on static pages (above). `next dev` also
    // evaluates code and talks to its server over a WebSocket (hot reload).
    // The admin's origin: Wagtail's userbar (components/site/Userbar.tsx) loads its
    // scripts and styles from the admin's /static/ for a signed-in editor.
    "script-src": ["'self'", "'unsafe-inline'", ...adminScriptOrigins(env),
      ...(development ? ["'unsafe-eval'"] : [])],
    // React's style attributes (an embed's aspect ratio, the brand's colour and font on
    // the layout's wrapper) are inline styles.
    "style-src": ["'self'", "'unsafe-inline'", ...adminScriptOrigins(env)],
    "img-src": ["'self'", "data:", "blob:", "https:"],
    "media-src": ["'self'", "https:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", ...(development ? ["ws:", "wss:"] : [])],
    // Embed blocks: the provider's iframe (sanitized to iframes only, lib/sanitize.ts).
    "frame-src": ["'self'", "https:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'", ...adminOrigins(env)],
  };
}

/** The header's value: "default-src 'self'; script-src …". */
export function contentSecurityPolicy(env: Record<string, string | undefined> = process.env): string {
  return Object.entries(siteDirectives(env))
    .map(([name, sources]) => `${name} ${sources.join(" ")}`).join("; ");
}
