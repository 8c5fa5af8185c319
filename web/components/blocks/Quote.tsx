import type { QuoteBlockValue } from "@/lib/types";

export function Quote({ value }: { value: QuoteBlockValue }) {
  return (
    <figure className="my-8 border-l-4 border-brand pl-6">
      <blockquote className="text-xl italic text-stone-800">{value.text}</blockquote>
      {value.attribution ? <figcaption className="mt-2 text-sm text-stone-600">— {value.attribution}</figcaption> : null}
    </figure>
  );
}
