import { Picture } from "@/components/Picture";
import type { ImageBlockValue } from "@/lib/types";

export function Image({ value }: { value: ImageBlockValue }) {
  if (!value.image) return null;
  return (
    <figure className="my-8">
      <Picture image={value.image} sizes="(min-width: 768px) 720px, 100vw" className="rounded-lg" />
      {value.caption ? <figcaption className="mt-2 text-sm text-stone-600">{value.caption}</figcaption> : null}
    </figure>
  );
}
