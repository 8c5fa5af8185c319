import { Breadcrumbs } from "@/components/site/Breadcrumbs";
import { StreamField } from "@/components/blocks/StreamField";
import type { DocumentOf } from "@/lib/page-types";

export function ContentPage({ page }: { page: DocumentOf<"example.ContentPage"> }) {
  return (
    <article className="mx-auto max-w-3xl">
      <Breadcrumbs items={page.meta.breadcrumbs} current={page.title} />
      <h1 className="text-4xl font-bold tracking-tight">{page.title}</h1>
      <StreamField blocks={page.body} />
    </article>
  );
}
