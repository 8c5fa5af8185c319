/**
 * Whether a Host names a Wagtail Site, asked before anything is rendered (proxy.ts), so
 * that a Host no Site has costs no cache entry: every host is a route segment of its own
 * (lib/site.ts), and Wagtail would answer an unknown hostname with its default Site.
 *
 * The CMS is asked once per hostname (its navigation names the Site it matched: the
 * hostname is a Site's when that Site's hostname is the one asked for) and the answer is
 * kept in this process for KNOWN_MS (or UNKNOWN_MS), at most MAX_HOSTNAMES of them. A
 * CMS that does not answer lets the request through: pages already cached stay served.
 *
 * The port: none, the port the renderer was reached on, or the public one of
 * NEXT_PUBLIC_SITE_URL; any other would be an entry of its own for the same site.
 */
import { cmsApiUrl } from "@/lib/settings";

const KNOWN_MS = 30_000;
const UNKNOWN_MS = 10_000;
const MAX_HOSTNAMES = 1000;
const TIMEOUT_MS = 2000;

type Verdict = { known: boolean; until: number };

const STORE = Symbol.for("mortar.siteHosts");

function verdicts(): Map<string, Verdict> {
  const store = globalThis as typeof globalThis & { [STORE]?: Map<string, Verdict> };
  store[STORE] ??= new Map();
  return store[STORE];
}

function remember(hostname: string, known: boolean): void {
  const map = verdicts();
  map.delete(hostname);
  // A Map keeps insertion order: the first key is the one asked about longest ago.
  while (map.size >= MAX_HOSTNAMES) map.delete(map.keys().next().value as string);
  map.set(hostname, { known, until: Date.now() + (known ? KNOWN_MS : UNKNOWN_MS) });
}

/** The ports a Host may name: "" (none), the one the request reached, the public one. */
export function servedPorts(requestPort: string, publicUrl: string | undefined): Set<string> {
  const ports = new Set(["", requestPort]);
  try {
    if (publicUrl) ports.add(new URL(publicUrl).port);
  } catch {
    // an unreadable NEXT_PUBLIC_SITE_URL adds no port
  }
  return ports;
}

/**
 * true when `hostname` is a Site's; false when the CMS says it is none; true as well
 * when the CMS cannot say (down, slow): refusing then would take cached pages away too.
 */
export async function isSiteHostname(hostname: string): Promise<boolean> {
  const cached = verdicts().get(hostname);
  if (cached && cached.until > Date.now()) return cached.known;
  const secret = process.env.REVALIDATE_SECRET;
  let response: Response;
  try {
    response = await fetch(`${cmsApiUrl()}/api/v2/navigation/?${new URLSearchParams({ site: hostname })}`, {
      cache: "no-store", headers: { Accept: "application/json",
        ...(secret ? { Authorization: `Bearer ${secret}` } : {}) },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    return true;
  }
  if (response.status === 404 || response.status === 400) {
    await response.body?.cancel();
    remember(hostname, false);
    return false;
  }
  if (!response.ok) {
    await response.body?.cancel();
    return true;
  }
  let known = true;
  try {
    const body = (await response.json()) as { site?: { hostname?: unknown } };
    known = typeof body.site?.hostname === "string"
      && body.site.hostname.toLowerCase() === hostname;
  } catch {
    return true;
  }
  remember(hostname, known);
  return known;
}
