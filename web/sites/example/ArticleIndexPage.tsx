import Link from "next/link";

import { Picture } from "@/components/Picture";
import { Breadcrumbs } from "@/components/site/Breadcrumbs";
import { Pagination } from "@/components/site/Pagination";
import { formatDate } from "@/lib/format";
import type { DocumentOf } from "@/lib/page-types";
import { sanitizeRichText } from "@/lib/sanitize";

export function ArticleIndexPage({ page }: { page: DocumentOf<"example.ArticleIndexPage"> }) {
  const { articles } = page;
  return (
    <div>
      <Breadcrumbs items={page.meta.breadcrumbs} current={page.title} />
      <h1 className="text-4xl font-bold tracking-tight">{page.title}</h1>
      {page.intro ? (
        <div className="prose mt-4" dangerouslySetInnerHTML={{ __html: sanitizeRichText(page.intro) }} />
      ) : null}
      <ul className="mt-8 grid gap-8 sm:grid-cols-2">
        {articles.items.map((article, index) => (
          <li key={article.id} className="overflow-hidden rounded-lg border border-stone-200 bg-white">
            {article.hero_image ? (
              // The first card's image is the listing's largest paint: fetch it at once.
              <Picture image={article.hero_image} crop="16 / 9" priority={index === 0}
                sizes="(min-width: 640px) 50vw, 100vw" />
            ) : null}
            <div className="p-4">
              <p className="text-sm text-stone-600"><time dateTime={article.date}>{formatDate(article.date)}</time></p>
              <h2 className="mt-1 text-xl font-semibold">
                {article.html_path ? <Link href={article.html_path} className="hover:underline">{article.title}</Link> : article.title}
              </h2>
              {article.intro ? <p className="mt-2 text-stone-700">{article.intro}</p> : null}
            </div>
          </li>
        ))}
      </ul>
      {page.meta.html_path ? (
        <Pagination basePath={page.meta.html_path} page={articles.page} totalPages={articles.total_pages} />
      ) : null}
    </div>
  );
}
