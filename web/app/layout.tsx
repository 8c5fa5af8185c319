/**
 * The document around every page. Each site's menu, footer and origin come from its own
 * layout (app/mortar-site/[site]/layout.tsx), which proxy.ts sends every site request to.
 */
import type { ReactNode } from "react";

import "./globals.css";

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">
        <a href="#main" className="sr-only focus:not-sr-only">Skip to content</a>
        {children}
      </body>
    </html>
  );
}
