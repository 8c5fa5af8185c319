/**
 * While the CMS fails, a response that would be a 500 is a 503 with Retry-After.
 *
 * A page the renderer cannot make because the CMS does not answer (and that it has not
 * cached) is the site's error page (app/error.tsx). Next.js sends that page as a 500 and
 * offers no way to choose another status for it (only notFound(), forbidden(),
 * unauthorized() and redirects set one), yet clients, crawlers and caches must hear that
 * the failure is temporary: 503, and when to come back. So the status is changed where
 * Node.js writes it, and only while the CMS is failing (lib/cms-circuit.ts); any other
 * 500 stays a 500. Installed once per process by instrumentation.ts.
 */
import { ServerResponse } from "node:http";

const INSTALLED = Symbol.for("mortar.outageStatus");

type WriteHead = (this: ServerResponse, statusCode: number, ...rest: unknown[]) => ServerResponse;

/**
 * From now on, a 500 written while `unavailableFor()` gives a number of seconds is written
 * as a 503 with that Retry-After. Idempotent.
 */
export function answerCmsOutagesWith503(unavailableFor: () => number | null): void {
  const prototype = ServerResponse.prototype as unknown as { writeHead: WriteHead; [INSTALLED]?: true };
  if (prototype[INSTALLED]) return;
  prototype[INSTALLED] = true;
  const writeHead = prototype.writeHead;
  prototype.writeHead = function (this: ServerResponse, statusCode: number, ...rest: unknown[]) {
    const seconds = statusCode === 500 && !this.headersSent ? unavailableFor() : null;
    if (seconds === null) return writeHead.call(this, statusCode, ...rest);
    this.setHeader("Retry-After", String(seconds));
    // A reason phrase given for the 500 ("Internal Server Error") would not fit the 503.
    const headers = typeof rest[0] === "string" ? rest.slice(1) : rest;
    return writeHead.call(this, 503, ...headers);
  };
}
