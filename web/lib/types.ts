/** The CMS API's JSON, one type per block and per page type (see cms/api and cms/blocks). */

export type FocalPoint = { x: number; y: number };

export type Rendition = { url: string; width: number; height: number; format: string };

export type CmsImage = {
  id: number;
  title: string;
  alt: string;
  width: number;
  height: number;
  focal_point: FocalPoint | null;
  src: string;
  srcset: Rendition[];
};

export type PageRef = { id: number; title: string; html_path: string | null };

/** A page in this CMS or an external URL: exactly one is set. */
export type Link = { page: PageRef | null; url: string | null };

export type HeadingBlockValue = { text: string; level: 2 | 3 | 4 };
/** HTML from Wagtail's rich text, internal links already site paths. */
export type RichTextBlockValue = string;
export type ImageBlockValue = { image: CmsImage | null; caption: string };
export type QuoteBlockValue = { text: string; attribution: string };
export type CallToActionBlockValue = { label: string; link: Link | null };
export type EmbedBlockValue = {
  url: string;
  html: string | null;
  title: string | null;
  provider_name: string | null;
  width: number | null;
  height: number | null;
  thumbnail_url: string | null;
} | null;
export type CardBlockValue = { title: string; text: string; image: CmsImage | null; link: Link | null };
export type CardsBlockValue = { heading: string; cards: CardBlockValue[] };

type BlockOf<T extends string, V> = { type: T; id: string | null; value: V };

export type ColumnBlock =
  | BlockOf<"heading", HeadingBlockValue>
  | BlockOf<"rich_text", RichTextBlockValue>
  | BlockOf<"image", ImageBlockValue>
  | BlockOf<"quote", QuoteBlockValue>
  | BlockOf<"cta", CallToActionBlockValue>
  | BlockOf<"embed", EmbedBlockValue>
  | BlockOf<"cards", CardsBlockValue>;

export type TwoColumnBlockValue = { left: ColumnBlock[]; right: ColumnBlock[] };

export type BodyBlock = ColumnBlock | BlockOf<"two_column", TwoColumnBlockValue>;

export type Breadcrumb = { id: number; title: string; html_path: string | null };

export type PageMeta<T extends string> = {
  type: T;
  html_path: string | null;
  locale: string;
  first_published_at: string | null;
  last_published_at: string | null;
  seo: { title: string; description: string; image: CmsImage | null };
  breadcrumbs: Breadcrumb[];
  /** Set by /api/v2/page_preview/ on draft documents. */
  preview?: boolean;
};

type PageOf<T extends string, F> = { id: number | null; title: string; meta: PageMeta<T> } & F;

export type HomePageDocument = PageOf<"example.HomePage", {
  hero_heading: string;
  hero_text: string;
  hero_image: CmsImage | null;
  hero_cta: BlockOf<"cta", CallToActionBlockValue>[];
  body: BodyBlock[];
}>;

export type ContentPageDocument = PageOf<"example.ContentPage", { body: BodyBlock[] }>;

export type ArticleSummary = {
  id: number;
  title: string;
  type: string;
  html_path: string | null;
  date: string;
  intro: string;
  hero_image: CmsImage | null;
  tags: string[];
};

export type Listing<T> = { items: T[]; page: number; per_page: number; total: number; total_pages: number };

export type ArticleIndexPageDocument = PageOf<"example.ArticleIndexPage", {
  intro: string;
  articles: Listing<ArticleSummary>;
}>;

export type ArticlePageDocument = PageOf<"example.ArticlePage", {
  date: string;
  intro: string;
  hero_image: CmsImage | null;
  tags: string[];
  body: BodyBlock[];
}>;

export type KnownPageDocument =
  | HomePageDocument
  | ContentPageDocument
  | ArticleIndexPageDocument
  | ArticlePageDocument;

/** Any page document; `meta.type` picks the layout, unknown types get a generic one. */
export type PageDocument = KnownPageDocument | PageOf<string, Record<string, unknown>>;

export type MenuItem = { id: number; title: string; html_path: string | null; children: MenuItem[] };

export type Navigation = {
  site: { id: number; hostname: string; name: string; root: PageRef };
  menu: MenuItem[];
  footer: { text: string; links: { label: string; link: Link }[] };
};

export type SitemapEntry = { id: number; html_path: string | null; last_published_at: string | null };
