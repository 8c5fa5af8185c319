/** A page body: every column block plus the two-column section. */
import { COLUMN_BLOCKS, renderBlock } from "@/components/blocks/column-stream";
import { TwoColumn } from "@/components/blocks/TwoColumn";
import type { BodyBlock } from "@/lib/types";

const BODY_BLOCKS = { ...COLUMN_BLOCKS, two_column: TwoColumn };

export function StreamField({ blocks }: { blocks: BodyBlock[] | undefined }) {
  if (!Array.isArray(blocks)) return null;
  return <>{blocks.map((block, index) => renderBlock(BODY_BLOCKS, block, index))}</>;
}
