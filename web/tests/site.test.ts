// @vitest-environment node
import { describe, expect, it } from "vitest";

import {
  SITE_ROUTE, hostFromSegment, originOfHost, pinnedSite, requestHost, siteOfHost, siteRewrite,
  visitorPath,
} from "@/lib/site";

describe("the site of a request", () => {
  it("is the Host header, lower-cased, when no site is pinned", () => {
    expect(requestHost("Docs.Localhost:3000", null)).toBe("docs.localhost:3000");
    expect(requestHost("example.com", null)).toBe("example.com");
    expect(requestHost("127.0.0.1:8080", null)).toBe("127.0.0.1:8080");
    expect(requestHost("docs.example.com.", null)).toBe("docs.example.com");
    expect(requestHost("docs.example.com.:8080", null)).toBe("docs.example.com:8080");
  });

  it("refuses a Host header no Site can have", () => {
    for (const bad of [null, undefined, "", "exa mple.com", "example.com/x", "[::1]:3000",
      "example.com:", "example.com:123456", "example.com:99999", "example.com:0", "user@example.com", "-x.com", "x".repeat(254)]) {
      expect(requestHost(bad, null)).toBeNull();
    }
  });

  it("is the pinned CMS_SITE_HOSTNAME whatever the Host header says", () => {
    expect(pinnedSite({ CMS_SITE_HOSTNAME: " Example.COM " })).toBe("example.com");
    expect(pinnedSite({ CMS_SITE_HOSTNAME: "" })).toBeNull();
    expect(pinnedSite({})).toBeNull();
    expect(requestHost("docs.localhost", "example.com")).toBe("example.com");
    expect(requestHost(null, "example.com")).toBe("example.com");
  });

  it("asks the CMS for the hostname without the port, or the pinned value as given", () => {
    expect(siteOfHost("docs.localhost:3000", null)).toBe("docs.localhost");
    expect(siteOfHost("docs.localhost", null)).toBe("docs.localhost");
    expect(siteOfHost("example.com:8080", "example.com:8080")).toBe("example.com:8080");
  });

  it("takes its route segment back only as proxy.ts makes it", () => {
    expect(hostFromSegment("docs.localhost%3A3000", null)).toBe("docs.localhost:3000");
    expect(hostFromSegment("docs.localhost:3000", null)).toBe("docs.localhost:3000");
    expect(hostFromSegment("%E0%A4%A", null)).toBeNull();
    expect(hostFromSegment("a%2Fb", null)).toBeNull();
    // Pinned: the pinned site's segment only.
    expect(hostFromSegment("example.com", "example.com")).toBe("example.com");
    expect(hostFromSegment("docs.localhost", "example.com")).toBeNull();
  });
});

describe("the site's origin", () => {
  it("is NEXT_PUBLIC_SITE_URL for a pinned site", () => {
    expect(originOfHost("example.com", "https://www.example.com", "example.com"))
      .toBe("https://www.example.com");
  });

  it("is the request's host with the configured scheme otherwise", () => {
    expect(originOfHost("docs.example.com", "https://www.example.com", null)).toBe("https://docs.example.com");
    expect(originOfHost("docs.localhost:3000", "http://localhost:3000", null)).toBe("http://docs.localhost:3000");
  });
});

describe("the rewrite of a site request", () => {
  it("puts the host in front of the path", () => {
    expect(siteRewrite("docs.localhost", "/about/")).toBe(`${SITE_ROUTE}/docs.localhost/about/`);
    expect(siteRewrite("docs.localhost:3000", "/")).toBe(`${SITE_ROUTE}/docs.localhost:3000/`);
    expect(siteRewrite("docs.localhost", "/sitemap.xml")).toBe(`${SITE_ROUTE}/docs.localhost/sitemap.xml`);
  });

  it("never lets a path choose another site's segment", () => {
    expect(siteRewrite("example.localhost", `${SITE_ROUTE}/docs.localhost/about/`))
      .toBe(`${SITE_ROUTE}/example.localhost${SITE_ROUTE}/docs.localhost/about/`);
  });

  it("sends a visitor's protected page to the private route of the same site", () => {
    expect(siteRewrite("docs.localhost", "/members/", "/mortar-page-access"))
      .toBe(`${SITE_ROUTE}/docs.localhost/mortar-page-access/members/`);
  });

  it("leaves alone what is not the site's", () => {
    expect(siteRewrite("docs.localhost", "/_util/authenticate_with_password/1/2/")).toBeNull();
    expect(siteRewrite("docs.localhost", "/_util/login/", "/mortar-page-access")).toBeNull();
    expect(siteRewrite("docs.localhost", "/favicon.ico")).toBeNull();
  });
});

describe("the path a visitor asked for", () => {
  it("is the path after the site route's host segment, or the path itself", () => {
    expect(visitorPath(`${SITE_ROUTE}/localhost:3000/about/`)).toBe("/about/");
    expect(visitorPath(`${SITE_ROUTE}/docs.example.com/`)).toBe("/");
    expect(visitorPath(`${SITE_ROUTE}/docs.example.com`)).toBe("/");
    expect(visitorPath("/about/")).toBe("/about/");
    expect(visitorPath("/mortar-sites/about/")).toBe("/mortar-sites/about/");
    expect(visitorPath(null)).toBe("/");
  });
});
