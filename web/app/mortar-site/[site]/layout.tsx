/**
 * Every page of a site: its menu and footer, its brand (Settings > Brand: colour and font
 * on the wrapper, name and logo in the header), and the site's own origin as the base of
 * its absolute URLs. `site` is the host segment proxy.ts rewrites each request to.
 */
import type { Metadata } from "next";
import { draftMode } from "next/headers";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";

import { SiteFooter } from "@/components/site/SiteFooter";
import { SiteHeader } from "@/components/site/SiteHeader";
import { brandStyle } from "@/lib/brand";
import { getNavigation, siteContext } from "@/lib/cms";

type Props = { children: ReactNode; params: Promise<{ site: string }> };

export async function generateMetadata({ params }: Omit<Props, "children">): Promise<Metadata> {
  const where = siteContext((await params).site);
  return where ? { metadataBase: new URL(where.origin) } : {};
}

export default async function SiteLayout({ children, params }: Props) {
  const where = siteContext((await params).site);
  if (!where) notFound();
  // Draft mode (an editor's preview) bypasses every cache, the menu's included. A CMS that
  // fails takes the error page instead, so no page is ever cached without its menu.
  const nav = await getNavigation(where.site, { draft: (await draftMode()).isEnabled });
  // A host no Wagtail Site has: the plain 404 page (app/not-found.tsx).
  if (!nav) notFound();
  return (
    <div className="flex flex-1 flex-col" style={brandStyle(nav.brand)}>
      <SiteHeader navigation={nav} />
      <main id="main" className="mx-auto w-full min-w-0 max-w-5xl flex-1 px-4 py-8">{children}</main>
      <SiteFooter navigation={nav} />
    </div>
  );
}
