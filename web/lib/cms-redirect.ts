/** The site's answer to a redirect the CMS gives (a Wagtail redirect or a sub-route's). */
import { notFound, permanentRedirect, redirect } from "next/navigation";

import { encodePath, isSafeLocalPath } from "@/lib/paths";

/** Redirect to `location` when it is a local path or an http(s) URL; 404 otherwise. */
export function followCmsRedirect(location: string, permanent: boolean): never {
  const encoded = encodePath(location);  // a Location header is ASCII
  if (!isSafeLocalPath(encoded) && !/^https?:\/\//.test(encoded)) notFound();
  if (permanent) permanentRedirect(encoded);
  redirect(encoded);
}
