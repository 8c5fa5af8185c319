/**
 * Settings > Brand (cms/brand) on every page of a site: its primary colour as the
 * `--color-brand` custom property (globals.css makes `bg-brand`, `text-brand`,
 * `border-brand` of it) and its font, set on the wrapper of the site's layout. The brand
 * comes with the navigation document, so a change shows on every page once the CMS
 * revalidates the navigation: no rebuild.
 */
import type { CSSProperties } from "react";

import type { Brand } from "@/lib/types";

/** The height the logo is drawn at, in CSS pixels (the help text in Settings says it). */
export const LOGO_HEIGHT = 40;

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** The wrapper's style for `brand`; a value the CMS would never send is left out. */
export function brandStyle(brand: Brand): CSSProperties {
  const style: Record<string, string> = {};
  if (HEX_COLOR.test(brand.primary_color)) style["--color-brand"] = brand.primary_color;
  if (brand.font_family && !/[;{}<>]/.test(brand.font_family)) style.fontFamily = brand.font_family;
  return style as CSSProperties;
}

/** The logo's width when drawn LOGO_HEIGHT high. */
export function logoWidth(logo: { width: number; height: number }): number {
  return logo.height > 0 ? Math.round((LOGO_HEIGHT * logo.width) / logo.height) : LOGO_HEIGHT;
}
