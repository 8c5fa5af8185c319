/**
 * Answers Next.js gives as 500 that are the client's doing, given their own status, and
 * headers that are only for Next.js itself kept out of every answer.
 *
 * - TRACE, TRACK and CONNECT: Next.js builds a fetch Request for the proxy, and fetch
 *   refuses these methods, so it fails with a bare 500 before any code of ours runs:
 *   they are a 405 (no route of the site takes them).
 * - A server action whose request cannot be read (a body that is not React's encoding of
 *   its arguments, a broken multipart form, one larger than the limit): React's decoder
 *   throws and Next.js answers 500, though the request is malformed: a 400. Our actions
 *   never throw themselves (components/forms/actions.ts answers every failure with a
 *   state), so a 500 on an action request is always such a request.
 * - `x-middleware-rewrite` names the internal route proxy.ts rewrote to; the browser's
 *   router never reads it (it reads `x-nextjs-rewritten-path`).
 *
 * Changed where Node.js writes the status, as lib/outage-status.ts does, since Next.js
 * gives no hook for either. Installed once per process by lib/start-node.ts.
 */
import { type IncomingMessage, ServerResponse } from "node:http";

const INSTALLED = Symbol.for("mortar.clientErrors");
const UNSUPPORTED_METHODS = new Set(["TRACE", "TRACK", "CONNECT"]);
const INTERNAL_HEADERS = ["x-middleware-rewrite"];

type WriteHead = (this: ServerResponse, statusCode: number, ...rest: unknown[]) => ServerResponse;

/** The status a 500 answering `request` should have been, or null if it is a real 500. */
export function clientErrorStatus(request: Pick<IncomingMessage, "method" | "headers" | "url">): number | null {
  if (UNSUPPORTED_METHODS.has((request.method ?? "").toUpperCase())) return 405;
  const type = String(request.headers["content-type"] ?? "");
  const action = request.headers["next-action"] !== undefined
    || (request.method === "POST" && /^multipart\/form-data\b/i.test(type)
        && !(request.url ?? "").startsWith("/api/"));
  return action ? 400 : null;
}

function withoutInternalHeaders(rest: unknown[]): unknown[] {
  return rest.map((item) => {
    if (Array.isArray(item)) {
      // [name, value, name, value…] or [[name, value]…]
      if (item.every(Array.isArray)) {
        return (item as unknown[][]).filter(([name]) => !INTERNAL_HEADERS.includes(String(name).toLowerCase()));
      }
      const pairs: unknown[] = [];
      for (let i = 0; i + 1 < item.length; i += 2) {
        if (!INTERNAL_HEADERS.includes(String(item[i]).toLowerCase())) pairs.push(item[i], item[i + 1]);
      }
      return pairs;
    }
    if (item && typeof item === "object") {
      return Object.fromEntries(Object.entries(item)
        .filter(([name]) => !INTERNAL_HEADERS.includes(name.toLowerCase())));
    }
    return item;
  });
}

/** From now on, every response goes through the rules above. Idempotent. */
export function answerClientErrorsAs4xx(): void {
  const prototype = ServerResponse.prototype as unknown as { writeHead: WriteHead; [INSTALLED]?: true };
  if (prototype[INSTALLED]) return;
  prototype[INSTALLED] = true;
  const writeHead = prototype.writeHead;
  prototype.writeHead = function (this: ServerResponse, statusCode: number, ...rest: unknown[]) {
    for (const name of INTERNAL_HEADERS) this.removeHeader(name);
    const headers = withoutInternalHeaders(rest);
    const status = statusCode === 500 && !this.headersSent && this.req
      ? clientErrorStatus(this.req) : null;
    if (status === null) return writeHead.call(this, statusCode, ...headers);
    if (status === 405) this.setHeader("Allow", "GET, HEAD");
    // A reason phrase given for the 500 would not fit.
    return writeHead.call(this, status, ...(typeof headers[0] === "string" ? headers.slice(1) : headers));
  };
}
