import { PAGE_ACCESS_ERRORS, type PageAccessError } from "@/lib/page-access";

/**
 * Shown instead of a password-protected page: the form posts to the renderer's
 * /api/page-access, which checks the password with the CMS, server side. Works without
 * JavaScript; the error, if any, is announced and tied to the field.
 */
export function PagePasswordForm({ restrictionId, path, protectedPath, error }: {
  restrictionId: number;
  /** The page asked for. */
  path: string;
  /** The protected page whose subtree the password opens (`path` or an ancestor). */
  protectedPath: string;
  error?: PageAccessError | null;
}) {
  return (
    <div className="mx-auto max-w-md py-16" data-testid="page-password">
      <h1 className="text-3xl font-bold">This page is password protected</h1>
      <p className="mt-4 text-stone-700">Enter the password you were given to see it.</p>
      <form method="post" action="/api/page-access" className="mt-8 flex flex-col gap-3">
        <input type="hidden" name="restriction_id" value={restrictionId} />
        <input type="hidden" name="path" value={path} />
        <input type="hidden" name="protected_path" value={protectedPath} />
        <label htmlFor="page-password" className="font-semibold">Password</label>
        <input id="page-password" name="password" type="password" required
          autoComplete="current-password" aria-invalid={error ? true : undefined}
          aria-describedby={error ? "page-password-error" : undefined}
          className="rounded border border-stone-400 px-3 py-2" />
        {error ? (
          <p id="page-password-error" role="alert" className="text-red-700">{PAGE_ACCESS_ERRORS[error]}</p>
        ) : null}
        <button type="submit" className="self-start rounded bg-brand px-4 py-2 font-semibold text-white hover:opacity-90">
          Continue
        </button>
      </form>
    </div>
  );
}
