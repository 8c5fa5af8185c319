/**
 * A page document rendered by its site's layout for `meta.type`, looked up in the page
 * types the route passes (app/page-types.ts: every site's), or by a generic one for a type
 * no site has a layout for yet.
 */
import Link from "next/link";

import { StreamField } from "@/components/blocks/StreamField";
import { Breadcrumbs } from "@/components/site/Breadcrumbs";
import { Pagination } from "@/components/site/Pagination";
import { type Listing, listingsOf } from "@/lib/listings";
import { pageTypeOf } from "@/lib/page-types";
import type { BodyBlock, PageDocument } from "@/lib/types";

function ListingItems({ listing, basePath }: { listing: Listing; basePath: string | null }) {
  return (
    <>
      <ul className="mt-8 space-y-2">
        {listing.items.map((item) => (
          <li key={item.id}>
            {item.html_path ? <Link href={item.html_path} className="hover:underline">{item.title}</Link> : item.title}
          </li>
        ))}
      </ul>
      {basePath ? <Pagination basePath={basePath} page={listing.page} totalPages={listing.total_pages} /> : null}
    </>
  );
}

/** A page type without a layout: its title, its body if it has one, its listings if any. */
export function GenericPage({ page }: { page: PageDocument }) {
  const body = (page as { body?: unknown }).body;
  return (
    <article className="mx-auto max-w-3xl">
      <Breadcrumbs items={page.meta.breadcrumbs} current={page.title} />
      <h1 className="text-4xl font-bold tracking-tight">{page.title}</h1>
      <StreamField blocks={Array.isArray(body) ? (body as BodyBlock[]) : undefined} />
      {listingsOf(page).map(([name, listing]) => (
        <ListingItems key={name} listing={listing} basePath={page.meta.html_path} />
      ))}
    </article>
  );
}

/** `pageTypes`: a registry of page types (`PageTypes`, or one site's `SitePageTypes`). */
export function PageLayout({ page, pageTypes }: { page: PageDocument; pageTypes: object }) {
  const Layout = pageTypeOf(pageTypes, page)?.layout ?? GenericPage;
  return <Layout page={page} />;
}
