import Link from "next/link";

import type { Navigation } from "@/lib/types";

export function SiteHeader({ navigation }: { navigation: Navigation | null }) {
  const name = navigation?.site.name ?? "Mortar CMS";
  const menu = navigation?.menu ?? [];
  const items = menu.map((item) => (
    <li key={item.id}>
      {item.html_path ? <Link href={item.html_path} className="hover:underline">{item.title}</Link> : item.title}
    </li>
  ));
  return (
    <header className="border-b border-stone-200 bg-white">
      <div className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-4 py-4">
        <Link href="/" className="text-lg font-bold">{name}</Link>
        <nav aria-label="Main" className="hidden sm:block">
          <ul className="flex gap-6">{items}</ul>
        </nav>
        {/* No JavaScript needed for the small-screen menu: <details> opens and closes it. */}
        <details className="relative sm:hidden">
          <summary className="cursor-pointer list-none rounded border border-stone-300 px-3 py-1">Menu</summary>
          <nav aria-label="Main (small screens)" className="absolute right-0 z-10 mt-2 w-48 rounded border border-stone-200 bg-white p-3 shadow">
            <ul className="flex flex-col gap-2">{items}</ul>
          </nav>
        </details>
      </div>
    </header>
  );
}
