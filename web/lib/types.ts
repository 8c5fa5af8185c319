/**
 * The CMS API's JSON, by the names the components use. Every type here is an alias of
 * `api.generated.ts`, which `make types` generates from the CMS's OpenAPI document
 * (itself generated from the page models and cms/blocks): nothing to keep in step by hand.
 */
import type { components, operations } from "./api.generated";

type Schemas = components["schemas"];
/** The 200 JSON of a CMS endpoint (the `revalidate` webhook is the renderer's own; a
 * form submission answers 201). */
type Json<T extends Exclude<keyof operations, "revalidate" | "formSubmission">> = operations[T]["responses"][200]["content"]["application/json"];

export type CmsImage = Schemas["Image"];
export type FocalPoint = NonNullable<CmsImage["focal_point"]>;
export type Rendition = Schemas["Rendition"];
export type PageRef = Schemas["PageLink"];
/** A page in this CMS or an external URL: exactly one is set. */
export type Link = Schemas["LinkBlockValue"];

export type HeadingBlockValue = Schemas["HeadingBlockValue"];
/** HTML from Wagtail's rich text, internal links already site paths. */
export type RichTextBlockValue = Schemas["RichTextBlockValue"];
export type ImageBlockValue = Schemas["ImageBlockValue"];
export type QuoteBlockValue = Schemas["QuoteBlockValue"];
export type CallToActionBlockValue = Schemas["CallToActionBlockValue"];
export type EmbedBlockValue = Schemas["EmbedBlockValue"];
export type CardBlockValue = Schemas["CardBlockValue"];
export type CardsBlockValue = Schemas["CardsBlockValue"];
export type TwoColumnBlockValue = Schemas["TwoColumnBlockValue"];

export type ColumnBlock = Schemas["ColumnStreamBlockValue"][number];
export type BodyBlock = Schemas["BodyStreamBlockValue"][number];

export type Breadcrumb = PageRef;
export type PageMeta = Schemas["PageMeta"];

/**
 * The document of any page type of any installed site. A site's layouts name their own
 * with `DocumentOf<"app.ClassName">` (lib/page-types.ts); listings are lib/listings.ts.
 */
export type KnownPageDocument = Schemas["PageDocument"];
/** Any page document; `meta.type` picks the layout (sites/index.ts), unknown types get a generic one. */
export type PageDocument =
  | KnownPageDocument
  | ({ id: number | null; title: string; meta: PageMeta } & Record<string, unknown>);

export type Navigation = Json<"navigation">;
/** Settings > Brand of the site (cms/brand): name, logo, primary colour, font. */
export type Brand = Schemas["Brand"];
/** GET /api/v2/userbar/'s answer: Wagtail's userbar, as HTML with its scripts. */
export type UserbarAnswer = Json<"userbar">;
/** A page of GET /api/v2/search/ results; each snippet is HTML with the matches in <mark>. */
export type SearchResults = Json<"search">;
export type SearchResult = SearchResults["results"][number];
export type MenuItem = Schemas["MenuItem"];
/** A form page's `form` (cms.forms): its fields, the honeypot's name, where it posts. */
export type FormDefinition = Schemas["FormDefinition"];
export type FormFieldDefinition = Schemas["FormFieldDefinition"];
export type SitemapPage = Json<"sitemap">;
export type SitemapEntry = SitemapPage["pages"][number];

/** by-path's 401: a page only a password opens (no content). */
export type PasswordRequired = Schemas["PasswordRequired"];
/** page_access's 200: the token that opens it. */
export type PageAccess = Schemas["PageAccess"];
