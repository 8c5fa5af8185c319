import Link from "next/link";

import { MobileMenu } from "@/components/site/MobileMenu";
import { SearchForm } from "@/components/site/SearchForm";
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
        <SearchForm id="site-search" compact />
        <MobileMenu>
          <ul className="flex flex-col gap-2">{items}</ul>
        </MobileMenu>
      </div>
    </header>
  );
}
