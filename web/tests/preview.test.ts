// @vitest-environment node
import { describe, expect, it } from "vitest";

import { PREVIEW_ROUTE, previewHref, previewQuery } from "@/lib/preview";

describe("a preview's address", () => {
  it("carries the token to the draft's own path, and says when it is the panel", () => {
    const query = { contentType: "example.contentpage", token: "id=4:1ab:x+y/z", inPanel: true };
    const href = previewHref("/über-uns/", query);
    expect(href.startsWith(`${PREVIEW_ROUTE}/%C3%BCber-uns/?`)).toBe(true);
    expect(previewQuery(new URL(href, "http://localhost").searchParams)).toEqual(query);
    expect(previewHref("/", { ...query, inPanel: false })).not.toContain("in_preview_panel");
  });

  it("needs a model and a token", () => {
    expect(previewQuery({ content_type: "example.contentpage" })).toBeNull();
    expect(previewQuery({ token: "x" })).toBeNull();
    expect(previewQuery({ content_type: ["a.b", "c.d"], token: "t" }))
      .toEqual({ contentType: "a.b", token: "t", inPanel: false });
  });

  it("refuses what no header could carry to the CMS", () => {
    for (const token of ["\u0000", "\ufffd", "a b", "t\r\nX-Evil: 1", "x".repeat(4097)]) {
      expect(previewQuery({ content_type: "a.b", token })).toBeNull();
    }
    for (const contentType of ["a", "a.b.c", "a.\u00ff", "../x.y"]) {
      expect(previewQuery({ content_type: contentType, token: "t" })).toBeNull();
    }
  });
});
