// @vitest-environment node
import type { ErrorEvent } from "@sentry/nextjs";
import { afterEach, describe, expect, it, vi } from "vitest";

import { scrubEvent } from "@/lib/error-reports";
import { rendererMetrics, routeOf, timeCmsFetch } from "@/lib/metrics";
import { traceIdOf } from "@/lib/tracing";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

describe("routeOf", () => {
  it("names a fixed set of route kinds, never a visitor's path", () => {
    expect(routeOf("/_next/static/chunks/a.js")).toBe("static");
    expect(routeOf("/_next/image")).toBe("image");
    expect(routeOf("/api/revalidate")).toBe("revalidate");
    expect(routeOf("/api/preview/exit")).toBe("preview");
    expect(routeOf("/sitemap.xml")).toBe("sitemap");
    expect(routeOf("/media/images/a.jpg")).toBe("cms_proxy");
    expect(routeOf("/about/team/")).toBe("page");
    expect(routeOf("/anything/at/all/%00/")).toBe("page");
  });
});

describe("traceIdOf", () => {
  it("reads a W3C traceparent and refuses anything else", () => {
    expect(traceIdOf(`00-${TRACE}-00f067aa0ba902b7-01`)).toBe(TRACE);
    expect(traceIdOf(`00-${"0".repeat(32)}-00f067aa0ba902b7-01`)).toBe("");
    expect(traceIdOf("00-xyz-00f067aa0ba902b7-01")).toBe("");
    expect(traceIdOf(undefined)).toBe("");
  });
});

describe("timeCmsFetch", () => {
  it("records each request to the CMS by endpoint and outcome", async () => {
    timeCmsFetch("/api/v2/navigation/")(200);
    timeCmsFetch("/api/v2/navigation/")("circuit_open");
    const text = await rendererMetrics().registry.metrics();
    expect(text).toMatch(/mortar_renderer_cms_fetch_duration_seconds_count\{endpoint="\/api\/v2\/navigation\/",outcome="200"\} 1/);
    expect(text).toMatch(/outcome="circuit_open"\} 1/);
  });
});

describe("scrubEvent", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("keeps no cookie, credential, body or token, and tags the request id", () => {
    vi.stubEnv("REVALIDATE_SECRET", "renderer-secret-0123456789");
    const event = {
      request: {
        url: "http://site/api/preview?token=preview-token-1&content_type=x",
        query_string: "token=preview-token-1&content_type=x&query=utm%3Dnews%26token%3Dnested-1",
        cookies: { __prerender_bypass: "bypass-cookie" },
        data: "a visitor's form submission",
        headers: { cookie: "__prerender_bypass=bypass-cookie", "x-preview-token": "header-token",
          authorization: "Bearer renderer-secret-0123456789", accept: "text/html",
          traceparent: `00-${TRACE}-00f067aa0ba902b7-01` },
      },
      exception: { values: [{ value: "failed with renderer-secret-0123456789" }] },
    } as unknown as ErrorEvent;
    const sent = JSON.stringify(scrubEvent(event));
    for (const secret of ["preview-token-1", "nested-1", "bypass-cookie", "form submission", "header-token",
      "renderer-secret-0123456789"]) {
      expect(sent).not.toContain(secret);
    }
    expect(sent).toContain("content_type=x");
    expect(sent).toContain("utm%3Dnews");
    expect(sent).toContain('"accept":"text/html"');
    expect(JSON.parse(sent).tags.request_id).toBe(TRACE);
  });
});
