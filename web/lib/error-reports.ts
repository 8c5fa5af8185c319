/**
 * Error reports to Sentry (@sentry/nextjs), when the renderer's SENTRY_DSN is set: errors
 * of its routes and server components (instrumentation.ts's onRequestError), with release
 * (SENTRY_RELEASE), environment (SENTRY_ENVIRONMENT) and the request's `request_id` tag
 * (its W3C trace id, as in the log lines of the renderer and the CMS).
 *
 * Nothing secret leaves: no cookies (draft mode's, page access tokens), no credentials or
 * tokens in headers, no request body (form submissions), no token in a query string, no
 * local variables, and REVALIDATE_SECRET's value nowhere in an event. Sentry's own
 * OpenTelemetry setup is off: lib/tracing.ts owns the process's trace context.
 */
import type { ErrorEvent } from "@sentry/nextjs";

import { traceIdOf } from "@/lib/tracing";
import { version } from "@/package.json";

const FILTERED = "[Filtered]";
const SECRET_HEADERS = new Set(["cookie", "set-cookie", "authorization", "proxy-authorization",
  "x-preview-token", "x-page-access", "x-purge-secret"]);
const SECRET_KEY = /token|secret|password|passwd|key|session|auth|access/i;
// Keys whose value is itself a query string, scrubbed the same way.
const NESTED_QUERY_KEYS = new Set(["query"]);

/** `value` with every secret replaced, in its strings, arrays and plain objects (what is
 * sent); class instances (the SDK's own, in `sdkProcessingMetadata`) are left alone. */
function withoutSecrets<T>(value: T, secrets: string[]): T {
  if (typeof value === "string") {
    return secrets.reduce((text: string, secret) => text.split(secret).join(FILTERED), value) as T;
  }
  if (Array.isArray(value)) return value.map((item) => withoutSecrets(item, secrets)) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) =>
      [key, key === "sdkProcessingMetadata" ? item : withoutSecrets(item, secrets)])) as T;
  }
  return value;
}

function scrubQuery(query: string): string {
  const params = new URLSearchParams(query);
  for (const key of new Set(params.keys())) {
    if (SECRET_KEY.test(key)) params.set(key, FILTERED);
    // The CMS's by-path `query` carries the visitor's own query string (lib/cms.ts).
    else if (NESTED_QUERY_KEYS.has(key)) params.set(key, scrubQuery(params.get(key) ?? ""));
  }
  return params.toString();
}

/** The values of the renderer's secrets (REVALIDATE_SECRET), wherever they might appear. */
function configuredSecrets(): string[] {
  return [process.env.REVALIDATE_SECRET ?? ""].filter((value) => value.length >= 6);
}

/** The event with the request's trace id as `request_id`, and nothing secret in it. */
export function scrubEvent(event: ErrorEvent): ErrorEvent {
  const request = event.request;
  if (request) {
    const headers = request.headers ?? {};
    const traceId = traceIdOf(headers.traceparent ?? headers.Traceparent);
    if (traceId) event.tags = { ...event.tags, request_id: traceId };
    delete request.cookies;
    delete request.data;
    for (const name of Object.keys(headers)) {
      if (SECRET_HEADERS.has(name.toLowerCase())) headers[name] = FILTERED;
    }
    if (typeof request.query_string === "string") request.query_string = scrubQuery(request.query_string);
    if (request.url?.includes("?")) {
      const [base, query = ""] = request.url.split("?", 2);
      request.url = `${base}?${scrubQuery(query)}`;
    }
  }
  return withoutSecrets(event, configuredSecrets());
}

/** Start reporting when SENTRY_DSN is set; false when it is not. */
export async function startErrorReports(): Promise<boolean> {
  const dsn = process.env.SENTRY_DSN;
  if (!dsn) return false;
  const Sentry = await import("@sentry/nextjs");
  const secrets = configuredSecrets();
  Sentry.init({
    dsn,
    release: process.env.SENTRY_RELEASE || `mortar-web@${version}`,
    environment: process.env.SENTRY_ENVIRONMENT || process.env.NODE_ENV,
    // What the SDK collects at all: no cookies, bodies, query strings, user, local variables
    // or task arguments; request headers but ours that carry credentials (scrubEvent again).
    dataCollection: {
      userInfo: false, cookies: false, httpBodies: [], urlQueryParams: false,
      httpHeaders: { request: { deny: [...SECRET_HEADERS] }, response: false },
      databaseQueryData: false, queues: false, stackFrameVariables: false,
    },
    sendClientReports: false,
    debug: process.env.SENTRY_DEBUG === "true",
    // lib/tracing.ts runs the process's tracer provider: Sentry must not register its own.
    enableOpenTelemetrySetup: false,
    // Next.js bundles the SDK: its load-time module hooks have nothing to hook.
    enableRuntimeChannelInjection: false,
    beforeSend: (event: ErrorEvent) => scrubEvent(event),
    beforeBreadcrumb: (crumb) => withoutSecrets(crumb, secrets),
  });
  return true;
}
