/** A plain GET form to /search/: works without JavaScript, the query lands in the URL. */
export function SearchForm({ id, query = "", compact = false }: {
  /** The input's id, unique on the page (the header's form and the search page's). */
  id: string;
  query?: string;
  compact?: boolean;
}) {
  return (
    <form role="search" action="/search/" method="get" className="flex items-center gap-2">
      <label htmlFor={id} className={compact ? "sr-only" : "font-medium"}>Search the site</label>
      <input
        id={id} type="search" name="q" defaultValue={query} required maxLength={200}
        className={`min-w-0 rounded border border-stone-300 px-2 py-1 ${compact ? "w-32 sm:w-40" : "w-full max-w-md"}`}
      />
      <button type="submit" className="shrink-0 rounded bg-brand px-3 py-1 text-white hover:opacity-90 focus:outline-2 focus:outline-offset-2">
        Search
      </button>
    </form>
  );
}
