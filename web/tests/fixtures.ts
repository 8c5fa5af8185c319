import type { CmsImage } from "@/lib/types";

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
