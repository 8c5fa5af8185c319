/** meta.type of the page document to the layout that renders it. */
import { ArticleIndexPage } from "@/components/pages/ArticleIndexPage";
import { ArticlePage } from "@/components/pages/ArticlePage";
import { ContentPage } from "@/components/pages/ContentPage";
import { HomePage } from "@/components/pages/HomePage";
import { StreamField } from "@/components/blocks/StreamField";
import { Breadcrumbs } from "@/components/site/Breadcrumbs";
import type { BodyBlock, KnownPageDocument, PageDocument } from "@/lib/types";

type Layouts = {
  [T in KnownPageDocument["meta"]["type"]]: (props: { page: Extract<KnownPageDocument, { meta: { type: T } }> }) => React.ReactNode;
};

export const PAGE_LAYOUTS: Layouts = {
  "example.HomePage": HomePage,
  "example.ContentPage": ContentPage,
  "example.ArticleIndexPage": ArticleIndexPage,
  "example.ArticlePage": ArticlePage,
};

/** A page type this renderer has no layout for yet: its title and body, if any. */
function GenericPage({ page }: { page: PageDocument }) {
  const body = (page as { body?: unknown }).body;
  return (
    <article className="mx-auto max-w-3xl">
      <Breadcrumbs items={page.meta.breadcrumbs} current={page.title} />
      <h1 className="text-4xl font-bold tracking-tight">{page.title}</h1>
      <StreamField blocks={Array.isArray(body) ? (body as BodyBlock[]) : undefined} />
    </article>
  );
}

export function PageLayout({ page }: { page: PageDocument }) {
  const Layout = (PAGE_LAYOUTS as Record<string, ((props: { page: PageDocument }) => React.ReactNode) | undefined>)[page.meta.type];
  return Layout ? <Layout page={page} /> : <GenericPage page={page} />;
}
