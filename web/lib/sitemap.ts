/**
 * sitemap.xml as a sitemap index (sitemaps.org), one child sitemap per page of the CMS's
 * sitemap API: /sitemap/1.xml, /sitemap/2.xml... Each stays far under the protocol's
 * 50,000 URLs, however large the site.
 */
import { encodePath } from "@/lib/paths";
import type { SitemapEntry } from "@/lib/types";

const XML_HEADERS = { "Content-Type": "application/xml; charset=utf-8" };

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

export function childSitemapPath(page: number): string {
  return `/sitemap/${page}.xml`;
}

/** The page number in a child sitemap's file name ("2.xml"), or null. */
export function childSitemapNumber(file: string): number | null {
  const match = /^([1-9][0-9]{0,5})\.xml$/.exec(file);
  return match?.[1] ? Number(match[1]) : null;
}

export function sitemapIndex(origin: string, totalPages: number): Response {
  const entries = Array.from({ length: totalPages }, (_, index) =>
    `<sitemap><loc>${escapeXml(origin + childSitemapPath(index + 1))}</loc></sitemap>`);
  return new Response(
    `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${entries.join("")}</sitemapindex>\n`,
    { headers: XML_HEADERS });
}

export function childSitemap(origin: string, pages: SitemapEntry[]): Response {
  const entries = pages.flatMap((page) => page.html_path ? [
    `<url><loc>${escapeXml(origin + encodePath(page.html_path))}</loc>`
      + (page.last_published_at ? `<lastmod>${escapeXml(page.last_published_at)}</lastmod>` : "")
      + "</url>",
  ] : []);
  return new Response(
    `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${entries.join("")}</urlset>\n`,
    { headers: XML_HEADERS });
}
