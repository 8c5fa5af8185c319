import Link from "next/link";

import { sanitizeSnippet } from "@/lib/sanitize";
import type { SearchResults as Results } from "@/lib/types";

/** The search page's URL for a query and a page of its results. */
export function searchHref(query: string, page = 1): string {
  const params = new URLSearchParams({ q: query });
  if (page > 1) params.set("page", String(page));
  return `/search/?${params.toString()}`;
}

export function SearchResults({ results }: { results: Results }) {
  const { query, page, total, more, total_pages: totalPages } = results;
  if (total === 0) {
    return <p role="status">No pages match “{query}”.</p>;
  }
  return (
    <section aria-label="Search results">
      <p role="status" className="text-sm text-stone-600">
        {more ? `More than ${total} pages match` : total === 1 ? "1 page matches" : `${total} pages match`}
        {" "}“{query}”.
      </p>
      <ol className="mt-6 space-y-6">
        {results.results.map((result) => (
          <li key={result.id}>
            <h2 className="text-lg font-semibold">
              <Link href={result.html_path} className="underline hover:no-underline">{result.title}</Link>
            </h2>
            <p className="text-stone-700" dangerouslySetInnerHTML={{ __html: sanitizeSnippet(result.snippet) }} />
          </li>
        ))}
      </ol>
      {totalPages > 1 && (
        <nav aria-label="Search result pages" className="mt-10 flex items-center justify-between">
          {page > 1 ? <Link href={searchHref(query, page - 1)} rel="prev" className="underline">← Previous</Link> : <span />}
          <span className="text-sm text-stone-600">Page {page} of {totalPages}</span>
          {page < totalPages ? <Link href={searchHref(query, page + 1)} rel="next" className="underline">Next →</Link> : <span />}
        </nav>
      )}
    </section>
  );
}
