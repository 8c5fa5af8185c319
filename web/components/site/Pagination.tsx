import Link from "next/link";

export function Pagination({ basePath, page, totalPages }: { basePath: string; page: number; totalPages: number }) {
  if (totalPages <= 1) return null;
  const href = (n: number) => (n === 1 ? basePath : `${basePath}page/${n}/`);
  return (
    <nav aria-label="Pagination" className="mt-10 flex items-center justify-between">
      {page > 1 ? <Link href={href(page - 1)} rel="prev" className="underline">← Newer</Link> : <span />}
      <span className="text-sm text-stone-600">Page {page} of {totalPages}</span>
      {page < totalPages ? <Link href={href(page + 1)} rel="next" className="underline">Older →</Link> : <span />}
    </nav>
  );
}
