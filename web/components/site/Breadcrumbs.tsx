import Link from "next/link";

import type { Breadcrumb } from "@/lib/types";

export function Breadcrumbs({ items, current }: { items: Breadcrumb[]; current: string }) {
  if (!items.length) return null;
  return (
    <nav aria-label="Breadcrumb" className="mb-6 text-sm text-stone-600">
      <ol className="flex flex-wrap gap-1">
        {items.map((item) => (
          <li key={item.id} className="after:ml-1 after:content-['/']">
            {item.html_path ? <Link href={item.html_path} className="hover:underline">{item.title}</Link> : item.title}
          </li>
        ))}
        <li aria-current="page" className="text-stone-900">{current}</li>
      </ol>
    </nav>
  );
}
