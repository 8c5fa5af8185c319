/**
 * A draft, at PREVIEW_ROUTE<html_path>?content_type=&token= (lib/preview.ts): rendered
 * for this request alone from the CMS's draft behind the token, never cached (by Next.js,
 * or by the HTTP cache: the response is private), marked as a preview, with the userbar
 * whose content checks the page editor runs (hidden in the preview panel). A refused token
 * says why, in words for the editor.
 */
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";

import { PAGE_TYPES } from "@/app/page-types";
import { PageLayout } from "@/components/pages/PageLayout";
import { PreviewBar } from "@/components/site/PreviewBar";
import { Userbar } from "@/components/site/Userbar";
import { CmsUnavailableError, getPreviewPage, getPreviewUserbar, siteContext } from "@/lib/cms";
import { encodePath, htmlPathFromSegments } from "@/lib/paths";
import { type PreviewQuery, previewQuery } from "@/lib/preview";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ site: string; path?: string[] }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const loadDraft = cache(async (site: string, contentType: string, token: string) =>
  getPreviewPage(site, contentType, token));

async function request(props: Props): Promise<{ site: string; htmlPath: string; query: PreviewQuery | null }> {
  const { site: segment, path } = await props.params;
  const where = siteContext(segment);
  if (!where) notFound();
  return { site: where.site, htmlPath: htmlPathFromSegments(path), query: previewQuery(await props.searchParams) };
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { site, query } = await request(props);
  const draft = query ? await loadDraft(site, query.contentType, query.token) : null;
  return {
    title: draft?.kind === "page" ? `Preview: ${draft.page.meta.seo.title}` : "Preview unavailable",
    description: draft?.kind === "page" ? draft.page.meta.seo.description || undefined : undefined,
    robots: { index: false, follow: false },
    // The address holds the token: no link or image on the page may pass it on.
    referrer: "no-referrer",
  };
}

function Unavailable({ message }: { message: string }) {
  return (
    <div className="mx-auto max-w-xl py-16" data-testid="preview-unavailable">
      <h1 className="text-3xl font-bold">Preview unavailable</h1>
      <p role="alert" className="mt-4 text-stone-700">{message}</p>
    </div>
  );
}

export default async function PreviewPage(props: Props) {
  const { site, htmlPath, query } = await request(props);
  if (!query) return <Unavailable message="This address has no preview token: press Preview in the page editor." />;
  let draft, userbar;
  try {
    [draft, userbar] = await Promise.all([
      loadDraft(site, query.contentType, query.token),
      getPreviewUserbar(query.contentType, query.token, query.inPanel).catch(() => null),
    ]);
  } catch (error) {
    if (error instanceof CmsUnavailableError) {
      return <Unavailable message="The CMS is unreachable from the site: try again in a moment." />;
    }
    throw error;
  }
  if (draft.kind === "refused") return <Unavailable message={draft.message} />;
  const livePath = draft.page.meta.html_path ?? htmlPath;
  return (
    <>
      <PreviewBar exitHref={encodePath(livePath)} />
      <PageLayout page={draft.page} pageTypes={PAGE_TYPES} />
      {userbar?.kind === "userbar" ? <Userbar html={userbar.html} /> : null}
    </>
  );
}
