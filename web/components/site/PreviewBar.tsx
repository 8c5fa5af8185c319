/** Shown on every draft page: an editor must never mistake a preview for the live site. */
export function PreviewBar({ exitHref }: {
  /** Where "Exit preview" goes: the live page. */
  exitHref: string;
}) {
  return (
    <div role="status" data-testid="preview-bar"
      className="sticky top-0 z-50 flex flex-wrap items-center justify-between gap-x-4 gap-y-1 bg-amber-500 px-4 py-2 text-sm font-semibold text-black">
      <span>Preview: you are looking at a draft, not the live site.</span>
      <a href={exitHref} className="underline" data-testid="exit-preview">
        Exit preview
      </a>
    </div>
  );
}
