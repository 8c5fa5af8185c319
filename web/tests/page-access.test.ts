// @vitest-environment node
import { describe, expect, it } from "vitest";

import { PAGE_ACCESS_ERROR_PARAM, isForVisitor, pageAccessError } from "@/lib/page-access";

describe("a page for its visitor alone", () => {
  it("is one asked for with a page access cookie or after a refused password", () => {
    expect(isForVisitor([{ name: "mortar_page_access_3" }], new URLSearchParams())).toBe(true);
    expect(isForVisitor([], new URLSearchParams(`${PAGE_ACCESS_ERROR_PARAM}=wrong`))).toBe(true);
    expect(isForVisitor([{ name: "csrftoken" }], new URLSearchParams("utm_source=x"))).toBe(false);
  });

  it("says only the errors it knows", () => {
    expect(pageAccessError("wrong")).toBe("wrong");
    expect(pageAccessError("<script>")).toBeNull();
  });
});
