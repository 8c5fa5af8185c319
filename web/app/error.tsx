"use client";

/** Any failure while rendering a page, most often the CMS being unreachable. */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  // Deliberately shows nothing of the error itself: no stack trace ever reaches a visitor.
  return (
    <div className="mx-auto max-w-xl py-16 text-center" role="alert">
      <h1 className="text-4xl font-bold">Something went wrong</h1>
      <p className="mt-4 text-stone-700">This page could not be loaded just now. Please try again in a moment.</p>
      <button type="button" onClick={reset} className="mt-8 rounded-md bg-stone-900 px-4 py-2 text-white">
        Try again
      </button>
    </div>
  );
}
