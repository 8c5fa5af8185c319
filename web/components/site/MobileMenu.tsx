"use client";

import { usePathname } from "next/navigation";
import { type MouseEvent, type ReactNode, useEffect, useRef } from "react";

/**
 * The small-screen menu: a <details>, so it opens and closes without JavaScript. The
 * header stays mounted across client-side navigations, so the menu closes itself when
 * a link in it is followed (the same path included) and when the path changes (back).
 * Its panel never reaches past the viewport, from 320 px up.
 */
export function MobileMenu({ children, after }: {
  children: ReactNode;
  /** Shown in the panel below the menu's links (the search box). */
  after?: ReactNode;
}) {
  const menu = useRef<HTMLDetailsElement>(null);
  const pathname = usePathname();
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [pathname]);
  const closeOnLink = (event: MouseEvent<HTMLElement>) => {
    if (menu.current && (event.target as Element).closest("a")) menu.current.open = false;
  };
  return (
    <details ref={menu} className="relative shrink-0 md:hidden">
      <summary className="cursor-pointer list-none rounded border border-stone-300 px-3 py-2">Menu</summary>
      <div className="absolute right-0 z-10 mt-2 flex w-64 max-w-[calc(100vw-2rem)] flex-col gap-3 rounded border border-stone-200 bg-white p-3 shadow">
        <nav aria-label="Main (small screens)" onClick={closeOnLink}>
          {children}
        </nav>
        {after}
      </div>
    </details>
  );
}
