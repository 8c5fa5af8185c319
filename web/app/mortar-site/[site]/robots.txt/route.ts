/** GET /robots.txt: the request's site's rules, pointing at its own sitemap. */
import { siteContext } from "@/lib/cms";

export const dynamic = "force-dynamic";

export async function GET(_request: Request,
                          { params }: { params: Promise<{ site: string }> }): Promise<Response> {
  const where = siteContext((await params).site);
  if (!where) return new Response("Not found", { status: 404 });
  return new Response(
    `User-Agent: *\nAllow: /\nDisallow: /api/\n\nSitemap: ${where.origin}/sitemap.xml\n`,
    { headers: { "Content-Type": "text/plain" } });
}
