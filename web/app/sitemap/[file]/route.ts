/** GET /sitemap/N.xml: the Nth child sitemap, from page N of the CMS's sitemap API. */
import { getSitemap, siteUrl } from "@/lib/cms";
import { childSitemap, childSitemapNumber } from "@/lib/sitemap";

export const dynamic = "force-dynamic";

export async function GET(_request: Request,
                          { params }: { params: Promise<{ file: string }> }): Promise<Response> {
  const number = childSitemapNumber((await params).file);
  const page = number === null ? null : await getSitemap(number);
  if (!page) return new Response("Not found", { status: 404 });
  return childSitemap(siteUrl(), page.pages);
}
