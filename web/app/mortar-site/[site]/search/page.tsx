/**
 * /search/?q=…&page=N: rendered on the server for every request (it reads the query, so
 * Next.js sends `Cache-Control: private, no-cache, no-store`), never kept by the HTTP cache
 * (infra/varnish/mortar.vcl passes /search/). The query stays in the URL.
 */
import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { SearchForm } from "@/components/site/SearchForm";
import { SearchResults } from "@/components/site/SearchResults";
import { Userbar } from "@/components/site/Userbar";
import { searchPages, siteContext } from "@/lib/cms";

export const metadata: Metadata = { title: "Search", robots: { index: false, follow: true } };

type Params = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

/** A page number from the URL; anything else is the first page. */
function pageNumber(raw: string): number {
  return /^[1-9][0-9]{0,5}$/.test(raw) ? Number(raw) : 1;
}

type Props = { params: Promise<{ site: string }>; searchParams: Promise<Params> };

export default async function SearchPage({ params: route, searchParams }: Props) {
  const where = siteContext((await route).site);
  if (!where) notFound();
  const params = await searchParams;
  const query = first(params.q).trim();
  const outcome = query ? await searchPages(where.site, query, pageNumber(first(params.page))) : null;
  return (
    <div>
      <h1 className="mb-6 text-3xl font-bold">Search</h1>
      <SearchForm id="search-page-query" query={query} />
      <div className="mt-8">
        {outcome?.kind === "refused" && <p role="alert">{outcome.message}</p>}
        {outcome?.kind === "results" && <SearchResults results={outcome.results} />}
      </div>
      <Userbar />
    </div>
  );
}
