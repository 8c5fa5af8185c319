/**
 * A CMS image from its pre-made renditions: <picture> with AVIF/WebP/JPEG srcsets.
 *
 * Plain <img> rather than next/image: the CMS already made every size and format after
 * upload (cms/images/renditions.py), so re-encoding them in Next.js would only add work.
 * width/height give the box its ratio before loading (no layout shift); when a crop
 * ratio is asked for, the focal point decides what stays in view.
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
        style={crop ? { aspectRatio: crop, objectPosition: focalPosition(image) } : undefined}
      />
    </picture>
  );
}
