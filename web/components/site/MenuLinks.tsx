"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

import { menuState } from "@/lib/paths";
import { visitorPath } from "@/lib/site";
import type { MenuItem } from "@/lib/types";

function decoded(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

/**
 * The menu's entries, the one for the page shown marked (`aria-current="page"`), and the
 * one for the section it is in (`aria-current="true"`): with the brand's colour and a bar
 * under it, so the mark does not rest on colour alone.
 */
export function MenuLinks({ items, layout }: {
  /** The first level only: the header draws no second. */
  items: Omit<MenuItem, "children">[];
  layout: "bar" | "list";
}) {
  const current = decoded(visitorPath(usePathname()));
  return (
    <ul className={layout === "bar" ? "flex gap-6" : "flex flex-col"}>
      {items.map((item) => {
        const state = menuState(item.html_path, current);
        return (
          <li key={item.id}>
            {item.html_path ? (
              <Link href={item.html_path} aria-current={state === "page" ? "page" : state ? "true" : undefined}
                className={`${layout === "bar" ? "inline-block py-1" : "block py-2"} border-b-2 border-transparent hover:underline aria-[current]:border-brand aria-[current]:font-semibold aria-[current]:text-brand`}>
                {item.title}
              </Link>
            ) : item.title}
          </li>
        );
      })}
    </ul>
  );
}
