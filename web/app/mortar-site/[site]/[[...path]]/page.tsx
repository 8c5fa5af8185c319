/**
 * The one page route: any path of a site, rendered from the CMS's by-path document.
 * proxy.ts sends each request here with its site's host as the `site` segment, so each
 * site's pages are cache entries of their own.
 *
 * Statically cached on first visit (ISR) under the document's cache tags; the CMS calls
 * /api/revalidate when a page changes. In Next.js's draft mode nothing is cached (the live
 * document, uncached, marked as a preview). Drafts are shown by ../mortar-preview.
 */
import type { Metadata } from "next";
import { draftMode } from "next/headers";
import { notFound } from "next/navigation";
import { cache } from "react";

import { PAGE_TYPES } from "@/app/page-types";
import { PageLayout } from "@/components/pages/PageLayout";
import { PagePasswordForm } from "@/components/site/PagePasswordForm";
import { PreviewBar } from "@/components/site/PreviewBar";
import { Userbar } from "@/components/site/Userbar";
import {
  type PageResult, type SiteContext, absoluteUrl, getPageByPath, siteContext,
} from "@/lib/cms";
import { pageTypeOf } from "@/lib/page-types";
import { followCmsRedirect } from "@/lib/cms-redirect";
import { htmlPathFromSegments } from "@/lib/paths";

export const revalidate = 3600;
export const dynamicParams = true;

// No page is built ahead: each is rendered on its first visit, then served from cache.
export async function generateStaticParams(): Promise<{ site: string; path: string[] }[]> {
  return [];
}

type Props = { params: Promise<{ site: string; path?: string[] }> };

/** `path` is the address asked for: "/articles/page/2/" for the second page of a listing. */
type Loaded = PageResult & { draft: boolean; path: string };

const load = cache(async (site: string, htmlPath: string): Promise<Loaded> => {
  const draft = (await draftMode()).isEnabled;
  // Any path goes to the CMS as asked: its routing answers a listing's pages
  // ("/articles/page/2/") and their redirects, each page of a listing its own cache entry.
  const result = await getPageByPath(site, htmlPath, { draft });
  return { ...result, draft, path: htmlPath };
});

/** The site and path of the route's params; a site segment proxy.ts never makes is a 404. */
async function target(params: Props["params"]): Promise<{ where: SiteContext; htmlPath: string }> {
  const { site, path } = await params;
  const where = siteContext(site);
  if (!where) notFound();
  return { where, htmlPath: htmlPathFromSegments(path) };
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { where, htmlPath } = await target(params);
  const result = await load(where.site, htmlPath);
  if (result.kind === "password_required") {
    return { title: "Password required", robots: { index: false, follow: false } };
  }
  if (result.kind !== "page") return { title: "Page not found" };
  const { seo } = result.page.meta;
  const image = seo.image ? [{ url: absoluteUrl(where.origin, seo.image.src), width: seo.image.width,
    height: seo.image.height, alt: seo.image.alt }] : undefined;
  const canonical = `${where.origin}${result.path}`;
  return {
    title: seo.title,
    description: seo.description || undefined,
    alternates: { canonical },
    openGraph: { title: seo.title, description: seo.description || undefined, url: canonical,
      type: pageTypeOf(PAGE_TYPES, result.page)?.openGraphType ?? "website", images: image },
    robots: result.draft ? { index: false, follow: false } : undefined,
  };
}

export default async function Page({ params }: Props) {
  const { where, htmlPath } = await target(params);
  const result = await load(where.site, htmlPath);
  if (result.kind === "redirect") followCmsRedirect(result.location, result.permanent);
  if (result.kind === "not_found") notFound();
  if (result.kind === "password_required") {
    // The same form for every visitor, so it is cached like a page; the page itself is
    // rendered by ../mortar-page-access for visitors holding its password's cookie.
    return <PagePasswordForm restrictionId={result.restrictionId} path={htmlPath}
      protectedPath={result.protectedPath} />;
  }

  const { page } = result;
  return (
    <>
      {result.draft ? <PreviewBar exitHref={`/api/preview/exit/?path=${encodeURIComponent(htmlPath)}`} /> : null}
      <PageLayout page={page} pageTypes={PAGE_TYPES} />
      <Userbar pageId={page.id} />
    </>
  );
}

