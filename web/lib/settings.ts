/**
 * Where the renderer runs: the CMS it asks and its public origin, read from the environment
 * when a request needs them, never written into the build. So one `next build` serves any
 * CMS and any origin: an image is built once for every deployment, and the test suite runs
 * stacks side by side on one build.
 */

/** CMS_API_URL: where the renderer reaches the CMS, server side (never sent to the browser). */
export function cmsApiUrl(): string {
  return (process.env.CMS_API_URL ?? "http://127.0.0.1:8000").replace(/\/+$/, "");
}

/**
 * Next.js writes the value of `process.env.NEXT_PUBLIC_…`, with the name spelled out, into
 * the build; a name it cannot see is read at run time. Only the server reads it.
 */
const SITE_URL_NAME = ["NEXT", "PUBLIC", "SITE", "URL"].join("_");

/**
 * NEXT_PUBLIC_SITE_URL: the public origin of the pinned site (CMS_SITE_HOSTNAME); otherwise
 * only its scheme counts (lib/site.ts originOfHost).
 */
export function siteUrl(): string {
  return (process.env[SITE_URL_NAME] ?? "http://localhost:3000").replace(/\/+$/, "");
}
