"use client";

import { usePathname } from "next/navigation";
import { type MouseEvent, type ReactNode, useEffect, useRef } from "react";

/**
 * The small-screen menu: a <details>, so it opens and closes without JavaScript. The
 * header stays mounted across client-side navigations, so the menu closes itself when
 * a link in it is followed (the same path included) and when the path changes (back).
 */
export function MobileMenu({ children }: { children: ReactNode }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const pathname = usePathname();
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [pathname]);
  const closeOnLink = (event: MouseEvent<HTMLElement>) => {
    if (menu.current && (event.target as Element).closest("a")) menu.current.open = false;
  };
  return (
    <details ref={menu} className="relative sm:hidden">
      <summary className="cursor-pointer list-none rounded border border-stone-300 px-3 py-1">Menu</summary>
      <nav aria-label="Main (small screens)" onClick={closeOnLink}
        className="absolute right-0 z-10 mt-2 w-48 rounded border border-stone-200 bg-white p-3 shadow">
        {children}
      </nav>
    </details>
  );
}
