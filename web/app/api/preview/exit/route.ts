/** GET /api/preview/exit?path=/x/: out of draft mode, at the page the editor was on. */
import { draftMode } from "next/headers";
import { redirect } from "next/navigation";

import { encodePath, isSafeLocalPath } from "@/lib/paths";

export async function GET(request: Request): Promise<Response> {
  const path = new URL(request.url).searchParams.get("path");
  (await draftMode()).disable();
  redirect(isSafeLocalPath(path) ? encodePath(path) : "/");
}
