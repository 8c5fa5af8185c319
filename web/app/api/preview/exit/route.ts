/** GET /api/preview/exit?path=/x/: back to the live site, at the page the editor was on. */
import { cookies, draftMode } from "next/headers";
import { redirect } from "next/navigation";

import { encodePath, isSafeLocalPath } from "@/lib/paths";
import { PREVIEW_COOKIE, PREVIEW_COOKIE_OPTIONS } from "@/lib/preview";

export async function GET(request: Request): Promise<Response> {
  const path = new URL(request.url).searchParams.get("path");
  (await draftMode()).disable();
  // Same flags as when it was set, or a browser may keep the framed (SameSite=None) one.
  (await cookies()).set(PREVIEW_COOKIE, "", { ...PREVIEW_COOKIE_OPTIONS, maxAge: 0 });
  redirect(isSafeLocalPath(path) ? encodePath(path) : "/");
}
