/**
 * A CMS image from its pre-made renditions: <picture> with AVIF/WebP/JPEG srcsets.
 *
 * Plain <img> rather than next/image: the CMS already made every size and format after
 * upload (cms/images/renditions.py), so re-encoding them in Next.js would only add work.
 * width/height give the box its ratio before loading (no layout shift); when a crop
 * ratio is asked for, the focal point decides what stays in view. The box fills its
 * column but never grows past the image's own size: a small image is never enlarged.
 */
import type { CmsImage, Rendition } from "@/lib/types";

const MIME: Record<string, string> = { avif: "image/avif", webp: "image/webp", jpeg: "image/jpeg",
  png: "image/png", gif: "image/gif" };

function srcSet(renditions: Rendition[]): string {
  return [...renditions].sort((a, b) => a.width - b.width).map((r) => `${r.url} ${r.width}w`).join(", ");
}

export function focalPosition(image: CmsImage): string | undefined {
  if (!image.focal_point) return undefined;
  const pct = (value: number) => `${Math.round(Math.min(Math.max(value, 0), 1) * 1000) / 10}%`;
  return `${pct(image.focal_point.x)} ${pct(image.focal_point.y)}`;
}

type Props = {
  image: CmsImage;
  sizes: string;
  /** CSS aspect-ratio, e.g. "16 / 9": the image is cropped around its focal point. */
  crop?: string;
  priority?: boolean;
  className?: string;
};

/** Ratio (width / height) of a CSS aspect-ratio such as "16 / 9"; undefined if unreadable. */
function ratioOf(crop: string): number | undefined {
  const [width = 0, height = 1] = crop.split("/").map((part) => Number(part.trim()));
  return width > 0 && height > 0 ? width / height : undefined;
}

/**
 * The widest the image may be drawn without being enlarged past its own pixels: its
 * width, or for a crop, the width at which the cropped box is as tall as the image.
 */
export function maxDisplayWidth(image: CmsImage, crop?: string): number {
  const ratio = crop ? ratioOf(crop) : undefined;
  return ratio ? Math.min(image.width, Math.floor(image.height * ratio)) : image.width;
}

export function Picture({ image, sizes, crop, priority = false, className = "" }: Props) {
  const byFormat = new Map<string, Rendition[]>();
  for (const rendition of image.srcset) {
    byFormat.set(rendition.format, [...(byFormat.get(rendition.format) ?? []), rendition]);
  }
  const modern = ["avif", "webp"].filter((format) => byFormat.has(format));
  const fallback = byFormat.get("jpeg") ?? byFormat.get("png") ?? byFormat.get("gif") ?? [];
  return (
    <picture>
      {modern.map((format) => (
        <source key={format} type={MIME[format]} srcSet={srcSet(byFormat.get(format) ?? [])} sizes={sizes} />
      ))}
      <img
        src={image.src}
        srcSet={fallback.length ? srcSet(fallback) : undefined}
        sizes={sizes}
        width={image.width}
        height={image.height}
        alt={image.alt}
        loading={priority ? "eager" : "lazy"}
        fetchPriority={priority ? "high" : undefined}
        decoding="async"
        className={`h-auto w-full ${crop ? "object-cover" : ""} ${className}`}
        style={{ maxWidth: `${maxDisplayWidth(image, crop)}px`,
          ...(crop ? { aspectRatio: crop, objectPosition: focalPosition(image) } : {}) }}
      />
    </picture>
  );
}
