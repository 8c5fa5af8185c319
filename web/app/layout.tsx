import type { Metadata } from "next";
import { draftMode } from "next/headers";
import type { ReactNode } from "react";

import { SiteFooter } from "@/components/site/SiteFooter";
import { SiteHeader } from "@/components/site/SiteHeader";
import { getNavigation, siteUrl } from "@/lib/cms";
import type { Navigation } from "@/lib/types";

import "./globals.css";

export const metadata: Metadata = {
  metadataBase: new URL(siteUrl()),
};

async function navigation(): Promise<Navigation | null> {
  try {
    // Draft mode (an editor's preview) bypasses every cache, the menu's included.
    return await getNavigation({ draft: (await draftMode()).isEnabled });
  } catch (error) {
    // `next build` prerenders the 404 page; it must not need a running CMS. At run time
    // the error page takes over instead, so no page is ever cached without its menu.
    if (process.env.NEXT_PHASE === "phase-production-build") return null;
    throw error;
  }
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const nav = await navigation();
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">
        <a href="#main" className="sr-only focus:not-sr-only">Skip to content</a>
        <SiteHeader navigation={nav} />
        <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-8">{children}</main>
        <SiteFooter navigation={nav} />
      </body>
    </html>
  );
}
