/** The registry of blocks allowed anywhere content goes: JSON `type` to component. */
import type { ReactNode } from "react";

import { CallToAction } from "@/components/blocks/CallToAction";
import { Cards } from "@/components/blocks/Cards";
import { Embed } from "@/components/blocks/Embed";
import { Heading } from "@/components/blocks/Heading";
import { Image } from "@/components/blocks/Image";
import { Quote } from "@/components/blocks/Quote";
import { RichText } from "@/components/blocks/RichText";
import type { ColumnBlock } from "@/lib/types";

type Registry<B extends { type: string; value: unknown }> = {
  [T in B["type"]]: (props: { value: Extract<B, { type: T }>["value"] }) => ReactNode;
};

export const COLUMN_BLOCKS: Registry<ColumnBlock> = {
  heading: Heading,
  rich_text: RichText,
  image: Image,
  quote: Quote,
  cta: CallToAction,
  embed: Embed,
  cards: Cards,
};

type AnyBlock = { type: string; id: string | null; value: unknown };

export function renderBlock(registry: object, block: AnyBlock, index: number) {
  const Component = (registry as Record<string, ((props: { value: unknown }) => ReactNode) | undefined>)[block.type];
  // A block type this renderer does not know yet (newer CMS): skip it, keep the page.
  if (!Component) return null;
  return <Component key={block.id ?? index} value={block.value} />;
}

export function ColumnStream({ blocks }: { blocks: ColumnBlock[] }) {
  return <>{blocks.map((block, index) => renderBlock(COLUMN_BLOCKS, block, index))}</>;
}
