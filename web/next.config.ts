import path from "node:path";

import type { NextConfig } from "next";
import { PHASE_DEVELOPMENT_SERVER } from "next/constants";

// Server side only: where the renderer reaches the CMS (never sent to the browser).
const cmsApiUrl = (process.env.CMS_API_URL ?? "http://127.0.0.1:8000").replace(/\/+$/, "");

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
  // For a renderer reached without nginx (which sends these itself and drops these
  // copies). No X-Frame-Options: the admin on another origin frames the preview.
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
  // Media URLs in the API are relative ("/media/..."); in development the renderer proxies
  // them, the CMS's document views and the login and password forms Wagtail sends visitors
  // to (/_util/), so the site works on one origin. In production nginx routes them first.
  // `:path(.*)`, not `:path*`: with trailingSlash the latter drops the final "/", and the
  // CMS answers "/documents/authenticate_with_password/1" by redirecting back to "…/1/".
  async rewrites() {
    return ["media", "documents", "_util"].map((prefix) => (
      { source: `/${prefix}/:path(.*)`, destination: `${cmsApiUrl}/${prefix}/:path` }));
  },
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
