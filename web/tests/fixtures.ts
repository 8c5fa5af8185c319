import type { CmsImage, PageMeta } from "@/lib/types";

export function image(overrides: Partial<CmsImage> = {}): CmsImage {
  return {
    id: 1, title: "Demo", alt: "A demo image", width: 1600, height: 1000, focal_point: null,
    src: "/media/images/demo.width-1600.jpg",
    srcset: [
      { url: "/media/images/demo.width-480.jpg", width: 480, height: 300, format: "jpeg" },
      { url: "/media/images/demo.width-960.jpg", width: 960, height: 600, format: "jpeg" },
      { url: "/media/images/demo.width-480.format-webp.webp", width: 480, height: 300, format: "webp" },
      { url: "/media/images/demo.width-480.format-avif.avif", width: 480, height: 300, format: "avif" },
    ],
    ...overrides,
  };
}

/** The `meta` of a page document at `html_path`, with no SEO image and no breadcrumbs. */
export function pageMeta(type: string, htmlPath = "/x/", overrides: Partial<PageMeta> = {}): PageMeta {
  return {
    type, html_path: htmlPath, locale: "en", first_published_at: null, last_published_at: null,
    seo: { title: "SEO title", description: "", image: null }, breadcrumbs: [], ...overrides,
  };
}
