/** Where the renderer's server reaches the CMS (CMS_API_URL): apart from lib/cms.ts, which
 * is server-only, so that proxy.ts can ask it too. */
export function cmsApiUrl(): string {
  return (process.env.CMS_API_URL ?? "http://127.0.0.1:8000").replace(/\/+$/, "");
}
