/** GET /sitemap.xml: the sitemap index (lib/sitemap.ts). */
import { getSitemap, siteUrl } from "@/lib/cms";
import { sitemapIndex } from "@/lib/sitemap";

// Rendered per request from the tagged (cached) API answer, so `next build` needs no CMS.
export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const first = await getSitemap(1);
  return sitemapIndex(siteUrl(), first?.total_pages ?? 1);
}
