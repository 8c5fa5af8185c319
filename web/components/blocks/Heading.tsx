import type { HeadingBlockValue } from "@/lib/types";

const STYLES = { 2: "text-3xl", 3: "text-2xl", 4: "text-xl" } as const;

export function Heading({ value }: { value: HeadingBlockValue }) {
  const level = value.level === 3 || value.level === 4 ? value.level : 2;
  const Tag = `h${level}` as const;
  return <Tag className={`mt-10 mb-4 font-semibold tracking-tight ${STYLES[level]}`}>{value.text}</Tag>;
}
