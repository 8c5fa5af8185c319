/** GET /sitemap/N.xml: the Nth child sitemap, from page N of the CMS's sitemap API. */
import { getSitemap, siteContext } from "@/lib/cms";
import { childSitemap, childSitemapNumber } from "@/lib/sitemap";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ site: string; file: string }> }):
  Promise<Response> {
  const { site, file } = await params;
  const where = siteContext(site);
  const number = childSitemapNumber(file);
  const page = where === null || number === null ? null : await getSitemap(where.site, number);
  if (!where || !page) return new Response("Not found", { status: 404 });
  return childSitemap(where.origin, page.pages);
}
