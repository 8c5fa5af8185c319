/**
 * Listings inside a page document. A page type with `api_listings` in the CMS
 * (cms/api/listing.py) shows one page of each listing as a field of its document:
 * `{"items": [...], "page", "per_page", "total", "total_pages"}` (`Listing.schema`
 * there). The renderer recognises a listing by that shape, whatever the page
 * type or the field's name, so that no platform code names a site's page type.
 */
import type { PageDocument } from "@/lib/types";

/** The fields of a listing besides its items, as the CMS's listing schema has them. */
export const LISTING_FIELDS = ["page", "per_page", "total", "total_pages"] as const;

/** What every listed page shows: its page type's `summary_fields` come on top. */
export type PageSummary = { id: number; title: string; type: string; html_path: string | null };

/** One page (`page`, from 1) of a listing of `total` items, `per_page` a page. */
export type Listing<T extends PageSummary = PageSummary> = {
  items: T[];
} & { [K in (typeof LISTING_FIELDS)[number]]: number };

function isPageSummary(value: unknown): value is PageSummary {
  if (typeof value !== "object" || value === null) return false;
  const item = value as Record<string, unknown>;
  return typeof item.id === "number" && typeof item.title === "string"
    && typeof item.type === "string" && (item.html_path === null || typeof item.html_path === "string");
}

/** True for a value of a listing's shape: a StreamField, an image or a link is none. */
export function isListing(value: unknown): value is Listing {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const fields = value as Record<string, unknown>;
  return Object.keys(fields).length === LISTING_FIELDS.length + 1
    && Array.isArray(fields.items) && fields.items.every(isPageSummary)
    && LISTING_FIELDS.every((name) => Number.isInteger(fields[name]));
}

/** The document's listings, by field name, in the document's order. */
export function listingsOf(page: PageDocument): [string, Listing][] {
  return Object.entries(page).filter((entry): entry is [string, Listing] => isListing(entry[1]));
}
