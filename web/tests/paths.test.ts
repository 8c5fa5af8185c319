// @vitest-environment node
import { describe, expect, it } from "vitest";

import { encodePath, htmlPathFromSegments, isDecodablePath, menuState } from "@/lib/paths";

describe("htmlPathFromSegments", () => {
  it("decodes the segments Next.js hands over encoded", () => {
    expect(htmlPathFromSegments(["%C3%BCber-uns"])).toBe("/über-uns/");
    expect(htmlPathFromSegments(["%c3%bcber-uns", "stra%C3%9Fe"])).toBe("/über-uns/straße/");
    expect(htmlPathFromSegments(["%E6%97%A5%E6%9C%AC%E8%AA%9E"])).toBe("/日本語/");
  });

  it("leaves decoded segments as they are", () => {
    expect(htmlPathFromSegments(["über-uns", "a_b-2026"])).toBe("/über-uns/a_b-2026/");
  });

  it("keeps what is not a slug as it came, so that the CMS finds no page", () => {
    expect(htmlPathFromSegments(["a%2Fb"])).toBe("/a%2Fb/");
    expect(htmlPathFromSegments(["caf%E9"])).toBe("/caf%E9/");
  });
});

describe("encodePath", () => {
  it("percent-encodes what is not ASCII, once", () => {
    expect(encodePath("/über-uns/")).toBe("/%C3%BCber-uns/");
    expect(encodePath("/%C3%BCber-uns/")).toBe("/%C3%BCber-uns/");
    expect(encodePath("/日本語/?q=1")).toBe("/%E6%97%A5%E6%9C%AC%E8%AA%9E/?q=1");
    expect(encodePath("/a b/100%/")).toBe("/a%20b/100%25/");
    expect(encodePath("/a_b-2026/")).toBe("/a_b-2026/");
  });
});

describe("isDecodablePath", () => {
  it("refuses escapes that are not UTF-8", () => {
    expect(isDecodablePath("/%C3%BCber-uns/")).toBe(true);
    expect(isDecodablePath("/caf%E9/")).toBe(false);
    expect(isDecodablePath("/%E0%A4%A/")).toBe(false);
  });
});

describe("menuState", () => {
  it("marks the page's own entry and the section it is in", () => {
    expect(menuState("/articles/", "/articles/")).toBe("page");
    expect(menuState("/articles/", "/articles/hello/")).toBe("section");
    expect(menuState("/articles/", "/articles/page/2/")).toBe("section");
    expect(menuState("/about/", "/articles/hello/")).toBeNull();
  });

  it("never takes the home page for a section, or a longer slug for a child", () => {
    expect(menuState("/", "/articles/")).toBeNull();
    expect(menuState("/", "/")).toBe("page");
    expect(menuState("/art/", "/articles/")).toBeNull();
    expect(menuState(null, "/")).toBeNull();
  });
});
