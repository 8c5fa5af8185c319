/**
 * Password-protected pages: one httpOnly cookie per password restriction a visitor
 * passed, holding the CMS's signed token and scoped (Path) to the protected page's
 * subtree, so only requests for those pages carry it. proxy.ts sends such requests to
 * PAGE_ACCESS_ROUTE, rendered for that visitor alone; the HTTP cache passes them by. A
 * refused password sends the visitor back to the page's own address with
 * `?PAGE_ACCESS_ERROR_PARAM=<error>`, which proxy.ts sends there too: the address bar
 * never shows the internal route.
 */
export const PAGE_ACCESS_COOKIE_PREFIX = "mortar_page_access_";
/** The uncached route a request carrying a page access cookie is rewritten to. */
export const PAGE_ACCESS_ROUTE = "/mortar-page-access";
/** The query parameter naming why the password form is shown again (PAGE_ACCESS_ERRORS). */
export const PAGE_ACCESS_ERROR_PARAM = "access_error";

export function pageAccessCookieName(restrictionId: number): string {
  return `${PAGE_ACCESS_COOKIE_PREFIX}${restrictionId}`;
}

/** The CMS tokens among a request's cookies, for its `X-Page-Access` header. */
export function pageAccessTokens(cookies: { name: string; value: string }[]): string[] {
  return cookies.filter((cookie) => cookie.name.startsWith(PAGE_ACCESS_COOKIE_PREFIX)
    && /^[A-Za-z0-9_\-:.]{1,500}$/.test(cookie.value)).map((cookie) => cookie.value);
}

export function pageAccessCookieOptions(path: string, maxAge: number) {
  return {
    httpOnly: true,
    path,
    maxAge,
    sameSite: "lax",
    secure: process.env.NODE_ENV !== "development",
  } as const;
}

/** What the password form says after a refused attempt (`?access_error=` of the page). */
export const PAGE_ACCESS_ERRORS = {
  wrong: "The password you have entered is not correct. Please try again.",
  locked: "Too many wrong passwords: try again later.",
  unavailable: "The password could not be checked just now. Please try again.",
} as const;

export type PageAccessError = keyof typeof PAGE_ACCESS_ERRORS;

export function pageAccessError(raw: string | string[] | undefined): PageAccessError | null {
  return typeof raw === "string" && Object.hasOwn(PAGE_ACCESS_ERRORS, raw) ? raw as PageAccessError : null;
}

/** Whether a request for a page is for its visitor alone: it carries a page access cookie,
 * or comes back from a refused password (proxy.ts). */
export function isForVisitor(cookies: { name: string }[], search: URLSearchParams): boolean {
  return search.has(PAGE_ACCESS_ERROR_PARAM)
    || cookies.some((cookie) => cookie.name.startsWith(PAGE_ACCESS_COOKIE_PREFIX));
}
