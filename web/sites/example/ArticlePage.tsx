import { Breadcrumbs } from "@/components/site/Breadcrumbs";
import { StreamField } from "@/components/blocks/StreamField";
import { Picture } from "@/components/Picture";
import { formatDate } from "@/lib/format";
import type { DocumentOf } from "@/lib/page-types";

export function ArticlePage({ page }: { page: DocumentOf<"example.ArticlePage"> }) {
  return (
    <article className="mx-auto max-w-3xl">
      <Breadcrumbs items={page.meta.breadcrumbs} current={page.title} />
      <p className="text-sm text-stone-600"><time dateTime={page.date}>{formatDate(page.date)}</time></p>
      <h1 className="mt-1 text-4xl font-bold tracking-tight">{page.title}</h1>
      {page.intro ? <p className="mt-4 text-xl text-stone-700">{page.intro}</p> : null}
      {page.tags.length ? (
        <ul className="mt-4 flex flex-wrap gap-2" aria-label="Tags">
          {page.tags.map((tag) => (
            <li key={tag} className="rounded-full bg-stone-200 px-3 py-1 text-sm">{tag}</li>
          ))}
        </ul>
      ) : null}
      {page.hero_image ? (
        <div className="mt-8">
          <Picture image={page.hero_image} crop="16 / 9" priority sizes="(min-width: 768px) 768px, 100vw" className="rounded-xl" />
        </div>
      ) : null}
      <StreamField blocks={page.body} />
    </article>
  );
}
