/** GET /sitemap.xml: the sitemap index of the request's site (lib/sitemap.ts). */
import { getSitemap, siteContext } from "@/lib/cms";
import { sitemapIndex } from "@/lib/sitemap";

// Rendered per request from the tagged (cached) API answer, so `next build` needs no CMS.
export const dynamic = "force-dynamic";

export async function GET(_request: Request,
                          { params }: { params: Promise<{ site: string }> }): Promise<Response> {
  const where = siteContext((await params).site);
  if (!where) return new Response("Not found", { status: 404 });
  const first = await getSitemap(where.site, 1);
  return sitemapIndex(where.origin, first?.total_pages ?? 1);
}
