import { sanitizeEmbed } from "@/lib/sanitize";
import type { EmbedBlockValue } from "@/lib/types";

export function Embed({ value }: { value: EmbedBlockValue }) {
  if (!value?.url) return null;
  if (!value.html) {
    // Not fetched from the provider (yet): a plain link still gets the visitor there.
    return <p className="my-8"><a href={value.url} rel="noopener noreferrer">{value.title || value.url}</a></p>;
  }
  const ratio = value.width && value.height ? `${value.width} / ${value.height}` : "16 / 9";
  return (
    <div className="embed my-8 w-full" style={{ aspectRatio: ratio }}
      dangerouslySetInnerHTML={{ __html: sanitizeEmbed(value.html) }} />
  );
}
