import type { MetadataRoute } from "next";

import { getSitemap, siteUrl } from "@/lib/cms";
import { encodePath } from "@/lib/paths";

// Rendered per request from the tagged (cached) API response, so `next build` needs no CMS.
export const dynamic = "force-dynamic";

export default async function sitemap(): Promise<MetadataRoute.Sitemap> {
  const pages = await getSitemap();
  return pages.flatMap((page) => page.html_path ? [{
    url: `${siteUrl()}${encodePath(page.html_path)}`,
    lastModified: page.last_published_at ?? undefined,
  }] : []);
}
