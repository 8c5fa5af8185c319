/** Shown on every draft page: an editor must never mistake a preview for the live site. */
export function PreviewBar({ path }: { path: string }) {
  return (
    <div role="status" data-testid="preview-bar"
      className="sticky top-0 z-50 flex items-center justify-between gap-4 bg-amber-500 px-4 py-2 text-sm font-semibold text-black">
      <span>Preview: you are looking at a draft, not the live site.</span>
      <a href={`/api/preview/exit/?path=${encodeURIComponent(path)}`} className="underline" data-testid="exit-preview">
        Exit preview
      </a>
    </div>
  );
}
