// @vitest-environment node
import { describe, expect, it } from "vitest";

import { brandStyle, logoWidth } from "@/lib/brand";

const BRAND = { name: "Acme", show_name: true, logo: null, primary_color: "#0f766e",
  font_family: "Charter, serif" };

describe("the brand on a page", () => {
  it("sets the primary colour and the font on the wrapper", () => {
    expect(brandStyle(BRAND)).toEqual({ "--color-brand": "#0f766e", fontFamily: "Charter, serif" });
  });

  it("leaves out what the CMS would never send", () => {
    expect(brandStyle({ ...BRAND, primary_color: "red;background:url(x)",
      font_family: "x;}body{display:none" })).toEqual({});
  });

  it("draws the logo 40 pixels high, keeping its ratio", () => {
    expect(logoWidth({ width: 300, height: 100 })).toBe(120);
    expect(logoWidth({ width: 160, height: 160 })).toBe(40);
  });
});
