/**
 * A password-protected page for the visitor who entered its password, or its form again
 * after a refused one: proxy.ts rewrites requests carrying a page access cookie (or
 * `?access_error=`) here, at the page's own address. Rendered per request with the
 * visitor's tokens, never cached (by Next.js, or by the HTTP cache: it is private).
 */
import type { Metadata } from "next";
import { cookies } from "next/headers";
import { notFound } from "next/navigation";

import { PAGE_TYPES } from "@/app/page-types";
import { PageLayout } from "@/components/pages/PageLayout";
import { PagePasswordForm } from "@/components/site/PagePasswordForm";
import { Userbar } from "@/components/site/Userbar";
import { getPageByPath, siteContext } from "@/lib/cms";
import { followCmsRedirect } from "@/lib/cms-redirect";
import { PAGE_ACCESS_ERROR_PARAM, pageAccessError, pageAccessTokens } from "@/lib/page-access";
import { htmlPathFromSegments } from "@/lib/paths";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ site: string; path?: string[] }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export const metadata: Metadata = { robots: { index: false, follow: false } };

export default async function ProtectedPage({ params, searchParams }: Props) {
  const { site, path } = await params;
  const where = siteContext(site);
  if (!where) notFound();
  const htmlPath = htmlPathFromSegments(path);
  const access = pageAccessTokens((await cookies()).getAll());
  const result = await getPageByPath(where.site, htmlPath, { access });
  if (result.kind === "password_required") {
    return <PagePasswordForm restrictionId={result.restrictionId} path={htmlPath}
      protectedPath={result.protectedPath}
      error={pageAccessError((await searchParams)[PAGE_ACCESS_ERROR_PARAM])} />;
  }
  // A sub-route's redirect inside the protected area ("page/1/" to the listing).
  if (result.kind === "redirect") followCmsRedirect(result.location, result.permanent);
  // Not a protected page (any more): the visitor gets what everyone gets, at its address.
  if (result.kind !== "page") notFound();
  return (
    <>
      <PageLayout page={result.page} pageTypes={PAGE_TYPES} />
      <Userbar pageId={result.page.id} />
    </>
  );
}
