// @vitest-environment node
import { describe, expect, it } from "vitest";

import { clientErrorStatus } from "@/lib/client-errors";
import { adminOrigins, contentSecurityPolicy } from "@/lib/csp";
import { servedPorts } from "@/lib/site-hosts";

describe("contentSecurityPolicy", () => {
  const policy = contentSecurityPolicy({ NODE_ENV: "production",
    WAGTAILADMIN_BASE_URL: "https://cms.example.com/admin/", CMS_API_URL: "http://api:8000" });

  it("keeps pages static and framed by the admin only", () => {
    for (const directive of ["object-src 'none'", "base-uri 'self'", "form-action 'self'",
      "frame-ancestors 'self' http://api:8000 https://cms.example.com",
      "script-src 'self' 'unsafe-inline' https://cms.example.com"]) {
      expect(policy.split("; ")).toContain(directive);
    }
    expect(policy).not.toContain("unsafe-eval");
  });

  it("names no origin for a URL that is not http(s)", () => {
    expect(adminOrigins({ WAGTAILADMIN_BASE_URL: "javascript:alert(1)", CMS_API_URL: "nope" })).toEqual([]);
  });
});

describe("servedPorts", () => {
  it("is no port, the port reached and the public one", () => {
    expect([...servedPorts("3000", "https://www.example.com:8443")].sort()).toEqual(["", "3000", "8443"]);
    expect([...servedPorts("3000", "not a url")].sort()).toEqual(["", "3000"]);
  });
});

describe("clientErrorStatus", () => {
  it("tells the client's 500s from ours", () => {
    expect(clientErrorStatus({ method: "TRACE", headers: {}, url: "/" })).toBe(405);
    expect(clientErrorStatus({ method: "POST", headers: { "next-action": "x" }, url: "/contact/" })).toBe(400);
    expect(clientErrorStatus({ method: "POST", headers: { "content-type": "multipart/form-data; boundary=x" },
      url: "/contact/" })).toBe(400);
    expect(clientErrorStatus({ method: "POST", headers: { "content-type": "multipart/form-data" },
      url: "/api/page-access" })).toBeNull();
    expect(clientErrorStatus({ method: "GET", headers: {}, url: "/about/" })).toBeNull();
  });
});
