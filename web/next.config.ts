import path from "node:path";

import type { NextConfig } from "next";
import { PHASE_DEVELOPMENT_SERVER } from "next/constants";

import { SERVER_ACTION_MAX_BYTES } from "./lib/server-actions";

const nextConfig: NextConfig = {
  // The container image runs the self-contained server (infra/docker/web.Dockerfile sets
  // this); `next start` in development and tests serves the ordinary build.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  // Parallel builds (test sessions) each get their own output folder and build lock.
  // (Next.js adds the folder's type paths to the tsconfig it is given: tests pass their own.)
  distDir: process.env.NEXT_DIST_DIR || ".next",
  typescript: { tsconfigPath: process.env.NEXT_TSCONFIG_PATH || "tsconfig.json" },
  // CMS paths end in "/" (html_path "/about/"); the URLs of the site are the same paths.
  trailingSlash: true,
  // proxy.ts adds the slash to page paths only: POST /api/revalidate must not be redirected.
  skipTrailingSlashRedirect: true,
  // proxy.ts gets the request's URL as the router has it (`next start -H 127.0.0.1`: that
  // origin, not "localhost"), so that its rewrites to each site's route stay internal.
  skipProxyUrlNormalize: true,
  poweredByHeader: false,
  // A form's submission (components/forms/): proxy.ts refuses a larger announced body
  // first; this bounds one sent without a length.
  experimental: { serverActions: { bodySizeLimit: SERVER_ACTION_MAX_BYTES } },
  // For a renderer reached without nginx (which sends these itself and drops these
  // copies). No X-Frame-Options: the admin on another origin frames the preview (the
  // Content-Security-Policy's frame-ancestors says which, proxy.ts and lib/csp.ts).
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
  // The CMS's own paths (/media/, /documents/, /_util/) reach it through proxy.ts, which
  // reads CMS_API_URL when a request comes: rewrites here would be fixed at build time.
};

/**
 * Several `next start` instances share one ISR/data cache in Redis (cache-handler.mjs), so
 * a revalidation received by one reaches all, and what they were told outlives a restart.
 * Without REDIS_URL, and always under `next dev` (`make dev`: one process), Next.js keeps
 * its own cache in memory only: its default also writes entries to disk (`next dev`'s
 * `.next/dev/cache/fetch-cache`) but keeps which tags were revalidated in memory, so an
 * entry dropped before a restart would be read back from disk after it, stale. The
 * standalone server keeps the choice made at build time: infra/docker/web.Dockerfile
 * builds with a REDIS_URL.
 */
export default function config(phase: string): NextConfig {
  if (!process.env.REDIS_URL || phase === PHASE_DEVELOPMENT_SERVER) {
    return { ...nextConfig, experimental: { isrFlushToDisk: false } };
  }
  return { ...nextConfig, cacheHandler: path.resolve("cache-handler.mjs"), cacheMaxMemorySize: 0 };
}
