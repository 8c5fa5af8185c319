"use client";

import "./globals.css";

/**
 * When even the root layout fails: a page of its own. (A site whose menu cannot be loaded
 * gets error.tsx, inside the root layout.)
 */
export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <main className="mx-auto max-w-xl px-4 py-16 text-center" role="alert">
          <h1 className="text-4xl font-bold">Something went wrong</h1>
          <p className="mt-4 text-stone-700">The site could not be loaded just now. Please try again in a moment.</p>
          <button type="button" onClick={reset} className="mt-8 rounded-md bg-stone-900 px-4 py-2 text-white">
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
