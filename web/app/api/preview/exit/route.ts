/** GET /api/preview/exit?path=/x/: back to the live site, at the page the editor was on. */
import { cookies, draftMode } from "next/headers";
import { redirect } from "next/navigation";

import { isSafeLocalPath } from "@/lib/paths";
import { PREVIEW_COOKIE } from "@/lib/preview";

export async function GET(request: Request): Promise<Response> {
  const path = new URL(request.url).searchParams.get("path");
  (await draftMode()).disable();
  (await cookies()).delete(PREVIEW_COOKIE);
  redirect(isSafeLocalPath(path) ? path : "/");
}
