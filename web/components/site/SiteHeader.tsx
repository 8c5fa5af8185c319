import Link from "next/link";

import { Picture } from "@/components/Picture";
import { MenuLinks } from "@/components/site/MenuLinks";
import { MobileMenu } from "@/components/site/MobileMenu";
import { SearchForm } from "@/components/site/SearchForm";
import { LOGO_HEIGHT, logoWidth } from "@/lib/brand";
import type { Brand, Navigation } from "@/lib/types";

/** The site's name and logo, as Settings > Brand gives them, linking home. */
function BrandLink({ brand }: { brand: Brand }) {
  const { logo } = brand;
  const width = logo ? logoWidth(logo) : 0;
  return (
    <Link href="/" className="flex min-w-0 items-center gap-3 text-lg font-bold" data-testid="brand">
      {logo ? (
        <span className="block shrink-0" style={{ width, height: LOGO_HEIGHT }}>
          <Picture image={logo} sizes={`${width}px`} />
        </span>
      ) : null}
      {brand.show_name ? <span className="truncate">{brand.name}</span> : null}
    </Link>
  );
}

/**
 * Every page's header: the brand, the menu (the page's own entry marked) and the search
 * box; below 768 px the menu and the search box fold into one "Menu" button, so the
 * header fits from 320 px up.
 */
export function SiteHeader({ navigation }: { navigation: Navigation }) {
  const { brand } = navigation;
  // MenuLinks is a client component: what it is given goes to the browser with every page.
  // The menu's second level is not drawn, so it is not sent.
  const menu = navigation.menu.map(({ id, title, html_path }) => ({ id, title, html_path }));
  return (
    <header className="border-t-4 border-b border-t-brand border-b-stone-200 bg-white">
      <div className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-4 py-3">
        <BrandLink brand={brand} />
        <nav aria-label="Main" className="hidden md:block">
          <MenuLinks items={menu} layout="bar" />
        </nav>
        <div className="hidden md:block">
          <SearchForm id="site-search" compact />
        </div>
        <MobileMenu after={<SearchForm id="site-search-menu" compact />}>
          <MenuLinks items={menu} layout="list" />
        </MobileMenu>
      </div>
    </header>
  );
}
