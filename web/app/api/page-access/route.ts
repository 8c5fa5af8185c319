/**
 * POST /api/page-access (the password form of a protected page): the password goes to
 * the CMS server side; the token it gives comes back as an httpOnly cookie scoped to the
 * protected page, then the visitor is sent to the page. A refusal goes back to the form,
 * at the page's own address, with the reason.
 */
import { NextResponse } from "next/server";

import { CmsUnavailableError, postPageAccess } from "@/lib/cms";
import {
  PAGE_ACCESS_ERROR_PARAM,
  type PageAccessError,
  pageAccessCookieName,
  pageAccessCookieOptions,
} from "@/lib/page-access";
import { encodePath, isSafeLocalPath } from "@/lib/paths";
import { visitorIp } from "@/lib/visitor";

const MAX_PASSWORD_LENGTH = 1000;

function seeOther(location: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store" } });
}

function backToForm(path: string, error: PageAccessError): Response {
  return seeOther(`${encodePath(path)}?${PAGE_ACCESS_ERROR_PARAM}=${error}`);
}

export async function POST(request: Request): Promise<Response> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return Response.json({ message: "Send the password form" }, { status: 400 });
  }
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const path = field("path");
  const protectedPath = field("protected_path");
  const restrictionId = Number(field("restriction_id"));
  const password = field("password");
  if (!isSafeLocalPath(path) || !Number.isSafeInteger(restrictionId) || restrictionId < 1) {
    return Response.json({ message: "path and restriction_id are required" }, { status: 400 });
  }
  if (!password || password.length > MAX_PASSWORD_LENGTH) return backToForm(path, "wrong");
  // The cookie opens the protected page's subtree only; never wider than the page asked for.
  const scope = isSafeLocalPath(protectedPath) && path.startsWith(protectedPath) ? protectedPath : path;

  let result;
  try {
    result = await postPageAccess(restrictionId, password, visitorIp(request.headers));
  } catch (error) {
    if (error instanceof CmsUnavailableError) return backToForm(path, "unavailable");
    throw error;
  }
  if (result.kind === "refused") return backToForm(path, result.status === 429 ? "locked" : "wrong");
  const response = seeOther(encodePath(path));
  response.cookies.set(pageAccessCookieName(restrictionId), result.token,
    pageAccessCookieOptions(encodePath(scope), result.maxAge));
  return response;
}
