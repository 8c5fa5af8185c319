import { ColumnStream } from "@/components/blocks/column-stream";
import type { TwoColumnBlockValue } from "@/lib/types";

export function TwoColumn({ value }: { value: TwoColumnBlockValue }) {
  return (
    <div className="my-8 grid gap-8 md:grid-cols-2">
      <div><ColumnStream blocks={value.left} /></div>
      <div><ColumnStream blocks={value.right} /></div>
    </div>
  );
}
